import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent } from '@shop/contracts';
import { Transaction } from '@shop/persistence';
import { NonRetryableError } from '@shop/rmq';
import { eq, sql } from 'drizzle-orm';
import { orderHistory, orders } from './order.schema';
import { applyBillingOutcome, BillingOutcome, OrderState } from './order-status';

/** Moves orders through their saga as the other services report back. */
@Injectable()
export class OrderOutcomesService {
  private readonly log = new Logger(OrderOutcomesService.name);

  async recordBillingOutcome(tx: Transaction, event: DomainEvent<'OrderProcessed'>): Promise<void> {
    const { orderId, status } = event.data;
    // Row lock: outcomes for one order are applied one at a time, in whichever order they come.
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (!order) throw new NonRetryableError(`OrderProcessed for unknown order ${orderId}`);
    const current: OrderState = {
      status: order.status as OrderState['status'],
      cancelReason: order.cancelReason as OrderState['cancelReason'],
      billingOutcome: order.billingOutcome as BillingOutcome | null,
    };
    const transition = applyBillingOutcome(current, status);
    const next = transition.state;
    await tx
      .update(orders)
      .set({
        status: next.status,
        cancelReason: next.cancelReason,
        billingOutcome: next.billingOutcome,
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, orderId));
    await tx.insert(orderHistory).values({
      orderId,
      step: event.eventType,
      status: next.status,
      detail: status,
      eventId: event.eventId,
    });
    if (transition.outcome !== 'unchanged') {
      this.log.log(
        `order ${orderId} ${transition.outcome}${next.cancelReason ? ` (${next.cancelReason})` : ''}`,
      );
    }
  }
}
