import { Injectable, Logger } from '@nestjs/common';
import { createEvent, DomainEvent, EventOrigin } from '@shop/contracts';
import { logIgnoredDuplicate, Outbox } from '@shop/messaging';
import { Transaction } from '@shop/persistence';
import { NonRetryableError } from '@shop/rmq';
import { eq, sql } from 'drizzle-orm';
import { SERVICE_NAME } from '../app/service-name';
import { ordersCancelled, ordersConfirmed } from './order.metrics';
import { orderHistory, OrderRow, orders } from './order.schema';
import {
  applyDeadline,
  applyOutcome,
  awaitedServices,
  OrderState,
  Outcome,
  Transition,
} from './order-status';

/** The history step of an order the saga's deadline cancelled. */
export const DEADLINE_STEP = 'DeadlinePassed';

/** What made an order move: an event (its type and id), or the deadline (no event). */
interface HistoryCause {
  step: string;
  detail: string;
  eventId?: string;
}

/**
 * Moves orders through the saga as billing and inventory report back (or the deadline passes),
 * and announces the result (OrderConfirmed / OrderCancelled) for the others to act on.
 */
@Injectable()
export class OrderOutcomesService {
  private readonly log = new Logger(OrderOutcomesService.name);

  constructor(private readonly outbox: Outbox) {}

  recordBillingOutcome(tx: Transaction, event: DomainEvent<'OrderProcessed'>): Promise<void> {
    return this.apply(tx, event, { from: 'billing', result: event.data.status }, event.data.status);
  }

  recordStockReserved(tx: Transaction, event: DomainEvent<'StockReserved'>): Promise<void> {
    return this.apply(tx, event, { from: 'inventory', result: 'RESERVED' }, 'RESERVED');
  }

  recordStockRejected(tx: Transaction, event: DomainEvent<'StockRejected'>): Promise<void> {
    const missing = event.data.missing
      .map((item) => `${item.sku} (requested ${item.requested}, available ${item.available})`)
      .join(', ');
    return this.apply(tx, event, { from: 'inventory', result: 'REJECTED' }, `REJECTED: ${missing}`);
  }

  /** Compensation finished elsewhere: only the history changes. */
  async recordCompensation(
    tx: Transaction,
    event: DomainEvent<'StockReleased' | 'PaymentRefunded'>,
    detail: string,
  ) {
    const order = await this.lockOrderRow(tx, event);
    await tx.insert(orderHistory).values({
      orderId: order.id,
      step: event.eventType,
      status: order.status,
      detail,
      eventId: event.eventId,
    });
  }

  /**
   * The saga's deadline passed for an order the caller locked: cancelled with TIMEOUT if it is
   * still PENDING, announced like any other cancellation so compensation follows.
   */
  async recordDeadline(tx: Transaction, order: OrderRow, timeoutMs: number): Promise<void> {
    const current = stateOf(order);
    const transition = applyDeadline(current);
    if (transition.change === 'none') return;
    const waitingFor = awaitedServices(current).join(' and ');
    await this.persist(tx, order, transition, {
      // No event caused this step: the clock did.
      cause: {
        step: DEADLINE_STEP,
        detail: `no outcome from ${waitingFor} within ${timeoutMs} ms`,
      },
      // The saga's correlation carries on, so its logs and events still line up.
      origin: { source: SERVICE_NAME, correlationId: order.correlationId },
    });
  }

  private async apply(
    tx: Transaction,
    event: DomainEvent,
    outcome: Outcome,
    detail: string,
  ): Promise<void> {
    const order = await this.lockOrderRow(tx, event);
    // A service reports once per order: a second outcome is recorded, never applied.
    const heard = outcome.from === 'billing' ? order.billingOutcome : order.stockOutcome;
    if (heard !== null) {
      logIgnoredDuplicate(
        this.log,
        event,
        `order ${order.id} already has an outcome from ${outcome.from} (${heard})`,
      );
    }
    await this.persist(tx, order, applyOutcome(stateOf(order), outcome), {
      cause: { step: event.eventType, detail, eventId: event.eventId },
      origin: { source: SERVICE_NAME, causedBy: event },
    });
  }

  /** Stores the new state and its history; a decision is also announced through the outbox. */
  private async persist(
    tx: Transaction,
    order: OrderRow,
    transition: Transition,
    { cause, origin }: { cause: HistoryCause; origin: EventOrigin },
  ): Promise<void> {
    const next = transition.state;
    await tx
      .update(orders)
      .set({
        status: next.status,
        cancelReason: next.cancelReason,
        billingOutcome: next.billingOutcome,
        stockOutcome: next.stockOutcome,
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, order.id));
    const step = { orderId: order.id, status: next.status, ...cause };
    if (transition.change === 'none') {
      await tx.insert(orderHistory).values(step);
      return;
    }

    const announcement =
      transition.change === 'confirmed'
        ? createEvent('OrderConfirmed', { orderId: order.id }, origin)
        : createEvent('OrderCancelled', { orderId: order.id, reason: next.cancelReason! }, origin);
    await this.outbox.add(tx, announcement);
    // The cause and the announcement it led to: two history steps, one statement.
    await tx.insert(orderHistory).values([
      step,
      {
        orderId: order.id,
        step: announcement.eventType,
        status: next.status,
        detail: next.cancelReason ?? undefined,
        eventId: announcement.eventId,
      },
    ]);
    if (next.status === 'CONFIRMED') ordersConfirmed.inc();
    else ordersCancelled.inc({ reason: next.cancelReason! });
    this.log.log({
      msg: `order ${order.id} ${next.status}${next.cancelReason ? ` (${next.cancelReason})` : ''}`,
      correlationId: order.correlationId,
    });
  }

  /**
   * Outcomes for one order apply one at a time, in whichever order they come. A row lock, not
   * `serialiseOnOrder`: orders owns the row, and it exists from the order's first commit.
   */
  private async lockOrderRow(tx: Transaction, event: DomainEvent): Promise<OrderRow> {
    const orderId = (event.data as { orderId: string }).orderId;
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    // Every event about an order descends from its OrderPlaced, which committed with the order.
    if (!order) throw new NonRetryableError(`${event.eventType} for unknown order ${orderId}`);
    return order;
  }
}

function stateOf({ status, cancelReason, billingOutcome, stockOutcome }: OrderRow): OrderState {
  return { status, cancelReason, billingOutcome, stockOutcome };
}
