import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEvent, DomainEvent } from '@shop/contracts';
import { Outbox } from '@shop/messaging';
import { DATABASE, Database, Transaction, lockUntilCommit } from '@shop/persistence';
import { NonRetryableError } from '@shop/rmq';
import { asc, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../app/service-name';
import { GatewayRequestError } from '../gateway/gateway.errors';
import { PaymentGateway } from '../gateway/payment-gateway';
import { orderCancellations, Payment, payments } from './payment.schema';

/** What became of a payment request; a null reference means the gateway was never asked. */
type PaymentOutcome =
  | { status: 'CAPTURED'; reference: string }
  | { status: 'DECLINED'; reference: string | null; reason: string };

@Injectable()
export class PaymentsService {
  private readonly log = new Logger(PaymentsService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly gateway: PaymentGateway,
  ) {}

  /** Charges an invoice at most once, and reports the outcome (captured or declined). */
  async takePayment(tx: Transaction, event: DomainEvent<'PaymentRequested'>): Promise<void> {
    const { orderId, invoiceId, customerId, amount } = event.data;
    await lockOrder(tx, orderId);
    const [cancellation] = await tx
      .select()
      .from(orderCancellations)
      .where(eq(orderCancellations.orderId, orderId));
    if (cancellation) {
      // Not charged, but answered, so billing still hears back about its invoice.
      const reason = `order cancelled (${cancellation.reason}) before payment`;
      this.log.warn(`payment for invoice ${invoiceId} declined without charging: ${reason}`);
      await this.recordOutcome(tx, event, { status: 'DECLINED', reference: null, reason });
      return;
    }
    // Second line of defence behind the inbox: another PaymentRequested for a settled invoice.
    const [existing] = await tx.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    if (existing) {
      this.log.log(`invoice ${invoiceId} already has payment ${existing.id} (${existing.status})`);
      return;
    }

    // Keyed on the invoice: if this transaction rolls back after the gateway charged (a crash,
    // a failed commit), the retry gets the same charge back instead of taking the money twice.
    const charge = await this.callGateway(() =>
      this.gateway.charge({ idempotencyKey: invoiceId, customerId, amount }),
    );
    await this.recordOutcome(
      tx,
      event,
      charge.outcome === 'captured'
        ? { status: 'CAPTURED', reference: charge.reference }
        : { status: 'DECLINED', reference: charge.reference, reason: charge.reason },
    );
  }

  /**
   * Compensation: gives back what was captured for a cancelled order, once, and remembers the
   * cancellation so that a payment request arriving later charges nothing.
   */
  async refundCancelledOrder(tx: Transaction, event: DomainEvent<'OrderCancelled'>): Promise<void> {
    const { orderId, reason } = event.data;
    await lockOrder(tx, orderId);
    await tx
      .insert(orderCancellations)
      .values({ orderId, reason, orderCancelledEventId: event.eventId })
      .onConflictDoNothing({ target: orderCancellations.orderId });
    const orderPayments = await tx.select().from(payments).where(eq(payments.orderId, orderId));
    const captured = orderPayments.filter((payment) => payment.status === 'CAPTURED');
    if (captured.length === 0) {
      this.log.log(
        orderPayments.length === 0
          ? `order ${orderId} cancelled (${reason}) before any payment: none will be taken`
          : `order ${orderId} cancelled (${reason}): nothing captured to refund`,
      );
      return;
    }
    for (const payment of captured) {
      const amount = { amountCents: payment.amountCents, currency: payment.currency };
      // Keyed on the payment: a retried or repeated cancellation never refunds twice.
      const refund = await this.callGateway(() =>
        this.gateway.refund({
          idempotencyKey: `refund:${payment.id}`,
          // Captured payments always carry the gateway's charge reference.
          chargeReference: payment.gatewayReference as string,
          amount,
        }),
      );
      await tx
        .update(payments)
        .set({ status: 'REFUNDED', refundReference: refund.reference, updatedAt: sql`now()` })
        .where(eq(payments.id, payment.id));
      this.log.log(`payment ${payment.id} refunded: order ${orderId} cancelled (${reason})`);
      await this.outbox.add(
        tx,
        createEvent(
          'PaymentRefunded',
          { orderId, paymentId: payment.id, amount },
          { source: SERVICE_NAME, causedBy: event },
        ),
      );
    }
  }

  /** Records the payment's outcome and tells billing: PaymentCaptured or PaymentDeclined. */
  private async recordOutcome(
    tx: Transaction,
    event: DomainEvent<'PaymentRequested'>,
    outcome: PaymentOutcome,
  ): Promise<void> {
    const { orderId, invoiceId, customerId, amount } = event.data;
    const paymentId = randomUUID();
    await tx.insert(payments).values({
      id: paymentId,
      orderId,
      invoiceId,
      customerId,
      amountCents: amount.amountCents,
      currency: amount.currency,
      status: outcome.status,
      gatewayReference: outcome.reference,
      declineReason: outcome.status === 'DECLINED' ? outcome.reason : null,
    });
    const origin = { source: SERVICE_NAME, causedBy: event };
    if (outcome.status === 'CAPTURED') {
      this.log.log(`payment ${paymentId} captured for order ${orderId}`);
      await this.outbox.add(
        tx,
        createEvent('PaymentCaptured', { orderId, invoiceId, paymentId, amount }, origin),
      );
      return;
    }
    this.log.log(`payment ${paymentId} declined for order ${orderId}: ${outcome.reason}`);
    await this.outbox.add(
      tx,
      createEvent(
        'PaymentDeclined',
        { orderId, invoiceId, paymentId, reason: outcome.reason },
        origin,
      ),
    );
  }

  findByOrder(orderId: string): Promise<Payment[]> {
    return this.db
      .select()
      .from(payments)
      .where(eq(payments.orderId, orderId))
      .orderBy(asc(payments.createdAt));
  }

  /** An outage is retried (the error propagates as is); a refused request never will succeed. */
  private async callGateway<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof GatewayRequestError) {
        throw new NonRetryableError(`payment gateway refused: ${error.message}`);
      }
      throw error;
    }
  }
}

/**
 * PaymentRequested and OrderCancelled of one order may be handled at the same time by two
 * consumers; this lock, held until commit, makes one wait for the other, so a cancellation
 * either sees the payment (and refunds it) or leaves a tombstone the payment sees.
 */
async function lockOrder(tx: Transaction, orderId: string): Promise<void> {
  await lockUntilCommit(tx, 'order', orderId);
}
