import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEvent, DomainEvent } from '@shop/contracts';
import { logIgnoredDuplicate, Outbox } from '@shop/messaging';
import { DATABASE, Database, Transaction } from '@shop/persistence';
import { NonRetryableError } from '@shop/rmq';
import { asc, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../app/service-name';
import { isFraudulent } from './fraud-rule';
import { Invoice, invoices, InvoiceStatus } from './invoice.schema';

@Injectable()
export class InvoicesService {
  private readonly log = new Logger(InvoicesService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Fraud check; otherwise one invoice per OrderPlaced event and a request to charge it.
   * A fraudulent order is reported to orders at once and never charged.
   */
  async billOrder(tx: Transaction, event: DomainEvent<'OrderPlaced'>): Promise<void> {
    const { orderId, customerId, total } = event.data;
    const origin = { source: SERVICE_NAME, causedBy: event };
    if (isFraudulent(event.data)) {
      this.log.log(`order ${orderId} rejected as fraud`);
      await this.outbox.add(
        tx,
        createEvent(
          'OrderProcessed',
          { orderId, invoiceId: null, status: 'CANCELED_FRAUD' },
          origin,
        ),
      );
      return;
    }
    const [invoice] = await tx
      .insert(invoices)
      .values({
        id: randomUUID(),
        orderId,
        orderPlacedEventId: event.eventId,
        customerId,
        amountCents: total.amountCents,
        currency: total.currency,
        status: 'ISSUED',
      })
      // The same OrderPlaced never bills twice, even past the inbox.
      .onConflictDoNothing({ target: invoices.orderPlacedEventId })
      .returning();
    if (!invoice) {
      logIgnoredDuplicate(this.log, event, `order ${orderId} is already invoiced for it`);
      return;
    }
    this.log.log(`invoice ${invoice.id} issued for order ${orderId}`);
    await this.outbox.add(
      tx,
      createEvent(
        'PaymentRequested',
        { orderId, invoiceId: invoice.id, customerId, amount: total },
        origin,
      ),
    );
  }

  /** The money is in: the invoice is paid and orders hears that billing is done. */
  async recordPaymentCaptured(
    tx: Transaction,
    event: DomainEvent<'PaymentCaptured'>,
  ): Promise<void> {
    await this.settle(tx, event, 'PAID', 'PROCESSED');
  }

  /** The gateway said no: orders hears it and cancels. */
  async recordPaymentDeclined(
    tx: Transaction,
    event: DomainEvent<'PaymentDeclined'>,
  ): Promise<void> {
    await this.settle(tx, event, 'PAYMENT_DECLINED', 'PAYMENT_DECLINED');
  }

  private async settle(
    tx: Transaction,
    event: DomainEvent<'PaymentCaptured' | 'PaymentDeclined'>,
    invoiceStatus: Exclude<InvoiceStatus, 'ISSUED'>,
    outcome: 'PROCESSED' | 'PAYMENT_DECLINED',
  ): Promise<void> {
    const { invoiceId, orderId } = event.data;
    const [invoice] = await tx
      .select()
      .from(invoices)
      .where(eq(invoices.id, invoiceId))
      .for('update');
    // PaymentRequested is only emitted after the invoice committed, so this cannot heal by waiting.
    if (!invoice)
      throw new NonRetryableError(`${event.eventType} for unknown invoice ${invoiceId}`);
    if (invoice.status !== 'ISSUED') {
      logIgnoredDuplicate(this.log, event, `invoice ${invoiceId} is already ${invoice.status}`);
      return;
    }
    await tx
      .update(invoices)
      .set({ status: invoiceStatus, updatedAt: sql`now()` })
      .where(eq(invoices.id, invoiceId));
    this.log.log(`invoice ${invoiceId} ${invoiceStatus}`);
    await this.outbox.add(
      tx,
      createEvent(
        'OrderProcessed',
        { orderId, invoiceId, status: outcome },
        { source: SERVICE_NAME, causedBy: event },
      ),
    );
  }

  findByOrder(orderId: string): Promise<Invoice[]> {
    return this.db
      .select()
      .from(invoices)
      .where(eq(invoices.orderId, orderId))
      .orderBy(asc(invoices.createdAt));
  }
}
