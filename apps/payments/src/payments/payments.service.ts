import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEvent, DomainEvent } from '@shop/contracts';
import { logIgnoredDuplicate, Outbox } from '@shop/messaging';
import { DATABASE, Database, serialiseOnOrder, Transaction } from '@shop/persistence';
import { NonRetryableError } from '@shop/rmq';
import { asc, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../app/service-name';
import { GatewayRequestError } from '../gateway/gateway.errors';
import { ChargeResult, PaymentGateway } from '../gateway/payment-gateway';
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
    // Taking turns with the order's OrderCancelled: a cancellation either sees this payment
    // (and refunds it) or leaves a tombstone this request sees.
    await serialiseOnOrder(tx, orderId);
    // Another PaymentRequested for a settled invoice.
    const [existing] = await tx.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    if (existing) {
      logIgnoredDuplicate(
        this.log,
        event,
        `invoice ${invoiceId} already has payment ${existing.id} (${existing.status})`,
      );
      return;
    }
    const [cancellation] = await tx
      .select()
      .from(orderCancellations)
      .where(eq(orderCancellations.orderId, orderId));
    if (cancellation) return this.settleForCancelledOrder(tx, event, cancellation.reason);

    // Keyed on the invoice: if this transaction rolls back after the gateway charged (a crash,
    // a failed commit), the retry gets the same charge back instead of taking the money twice.
    const charge = await this.callGateway(() =>
      this.gateway.charge({ idempotencyKey: invoiceId, customerId, amount }),
    );
    await this.recordOutcome(tx, event, outcomeOf(charge));
  }

  /**
   * The order was cancelled before this request could be recorded. Usually nothing was
   * charged, and the request is declined without charging. But an earlier attempt may have
   * charged and then failed to commit (a crash, a database blip) while the cancellation,
   * finding no payment, refunded nothing: the gateway still holds that charge under the
   * invoice's key. Then the charge is recorded and refunded here, as if the cancellation had
   * come after it. Either way billing hears back about its invoice.
   */
  private async settleForCancelledOrder(
    tx: Transaction,
    event: DomainEvent<'PaymentRequested'>,
    reason: string,
  ): Promise<void> {
    const { invoiceId } = event.data;
    const earlier = await this.callGateway(() => this.gateway.findCharge(invoiceId));
    if (!earlier) {
      const declined = `order cancelled (${reason}) before payment`;
      this.log.warn(`payment for invoice ${invoiceId} declined without charging: ${declined}`);
      await this.recordOutcome(tx, event, {
        status: 'DECLINED',
        reference: null,
        reason: declined,
      });
      return;
    }
    const payment = await this.recordOutcome(tx, event, outcomeOf(earlier));
    if (payment.status !== 'CAPTURED') return;
    this.log.warn(
      `invoice ${invoiceId} was charged by an attempt that never committed; order cancelled (${reason}): refunding`,
    );
    await this.refund(tx, payment, event);
  }

  /**
   * Compensation: gives back what was captured for a cancelled order, once, and remembers the
   * cancellation so that a payment request arriving later charges nothing.
   */
  async refundCancelledOrder(tx: Transaction, event: DomainEvent<'OrderCancelled'>): Promise<void> {
    const { orderId, reason } = event.data;
    await serialiseOnOrder(tx, orderId);
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
      await this.refund(tx, payment, event);
      this.log.log(`payment ${payment.id} refunded: order ${orderId} cancelled (${reason})`);
    }
  }

  /** Gives a captured payment back through the gateway, records it and tells orders. */
  private async refund(tx: Transaction, payment: Payment, causedBy: DomainEvent): Promise<void> {
    const amount = { amountCents: payment.amountCents, currency: payment.currency };
    // Keyed on the invoice, like its charge: whichever path or attempt refunds the invoice's
    // one charge, the gateway gives the money back once.
    const refund = await this.callGateway(() =>
      this.gateway.refund({
        idempotencyKey: `refund:${payment.invoiceId}`,
        // Captured payments always carry the gateway's charge reference.
        chargeReference: payment.gatewayReference as string,
        amount,
      }),
    );
    await tx
      .update(payments)
      .set({ status: 'REFUNDED', refundReference: refund.reference, updatedAt: sql`now()` })
      .where(eq(payments.id, payment.id));
    await this.outbox.add(
      tx,
      createEvent(
        'PaymentRefunded',
        {
          orderId: payment.orderId,
          paymentId: payment.id,
          amount,
          // Recorded in this transaction, right after the gateway confirmed the refund.
          refundedAt: new Date().toISOString(),
        },
        { source: SERVICE_NAME, causedBy },
      ),
    );
  }

  /** Records the payment's outcome and tells billing: PaymentCaptured or PaymentDeclined. */
  private async recordOutcome(
    tx: Transaction,
    event: DomainEvent<'PaymentRequested'>,
    outcome: PaymentOutcome,
  ): Promise<Payment> {
    const { orderId, invoiceId, customerId, amount } = event.data;
    const [payment] = await tx
      .insert(payments)
      .values({
        id: randomUUID(),
        orderId,
        invoiceId,
        customerId,
        amountCents: amount.amountCents,
        currency: amount.currency,
        status: outcome.status,
        gatewayReference: outcome.reference,
        declineReason: outcome.status === 'DECLINED' ? outcome.reason : null,
      })
      .returning();
    const paymentId = payment.id;
    const origin = { source: SERVICE_NAME, causedBy: event };
    if (outcome.status === 'CAPTURED') {
      this.log.log(`payment ${paymentId} captured for order ${orderId}`);
      await this.outbox.add(
        tx,
        createEvent('PaymentCaptured', { orderId, invoiceId, paymentId, amount }, origin),
      );
      return payment;
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
    return payment;
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

function outcomeOf(charge: ChargeResult): PaymentOutcome {
  return charge.outcome === 'captured'
    ? { status: 'CAPTURED', reference: charge.reference }
    : { status: 'DECLINED', reference: charge.reference, reason: charge.reason };
}
