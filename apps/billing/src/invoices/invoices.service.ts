import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEvent, DomainEvent } from '@shop/contracts';
import { Outbox } from '@shop/messaging';
import { DATABASE, Database, Transaction } from '@shop/persistence';
import { asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../app/service-name';
import { isFraudulent } from './fraud-rule';
import { Invoice, invoices } from './invoice.schema';

@Injectable()
export class InvoicesService {
  private readonly log = new Logger(InvoicesService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  /** Fraud check, then one invoice per OrderPlaced event, and billing's outcome for orders. */
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
      // Second line of defence behind the inbox: the same OrderPlaced never bills twice.
      .onConflictDoNothing({ target: invoices.orderPlacedEventId })
      .returning();
    if (!invoice) return;
    this.log.log(`invoice ${invoice.id} issued for order ${orderId}`);
    await this.outbox.add(
      tx,
      createEvent(
        'OrderProcessed',
        { orderId, invoiceId: invoice.id, status: 'PROCESSED' },
        origin,
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
