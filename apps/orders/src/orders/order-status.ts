import { CancellationReason, OrderProcessedStatus } from '@shop/contracts';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type BillingOutcome = OrderProcessedStatus;
export type StockOutcome = 'RESERVED' | 'REJECTED';

/** What the other services have reported so far, and where that left the order. */
export interface OrderState {
  status: OrderStatus;
  cancelReason: CancellationReason | null;
  billingOutcome: BillingOutcome | null;
  stockOutcome: StockOutcome | null;
}

export type Outcome =
  | { from: 'billing'; result: BillingOutcome }
  | { from: 'inventory'; result: StockOutcome };

/** What an incoming outcome does to an order. */
export interface Transition {
  change: 'confirmed' | 'cancelled' | 'none';
  state: OrderState;
}

const CANCELLATION: Partial<Record<BillingOutcome | StockOutcome, CancellationReason>> = {
  CANCELED_FRAUD: 'FRAUD',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  REJECTED: 'OUT_OF_STOCK',
};

/**
 * The saga's decision, in whichever order billing's and inventory's outcomes arrive:
 * CONFIRMED once billing PROCESSED and inventory RESERVED, CANCELLED at the first failure.
 * A terminal order never moves again; a late or repeated outcome is only recorded.
 */
export function applyOutcome(current: OrderState, outcome: Outcome): Transition {
  const recorded: OrderState =
    outcome.from === 'billing'
      ? { ...current, billingOutcome: current.billingOutcome ?? outcome.result }
      : { ...current, stockOutcome: current.stockOutcome ?? outcome.result };
  if (current.status !== 'PENDING') return { change: 'none', state: recorded };

  const cancelReason = CANCELLATION[outcome.result];
  if (cancelReason) {
    return { change: 'cancelled', state: { ...recorded, status: 'CANCELLED', cancelReason } };
  }
  if (recorded.billingOutcome === 'PROCESSED' && recorded.stockOutcome === 'RESERVED') {
    return { change: 'confirmed', state: { ...recorded, status: 'CONFIRMED' } };
  }
  return { change: 'none', state: recorded };
}

/**
 * The saga's deadline (ORDER_TIMEOUT_MS): a PENDING order is cancelled with TIMEOUT, whatever
 * it was still waiting for, so a lost step never strands it. A terminal order is left as it is:
 * an outcome that arrived first wins, and one that arrives after the deadline is only recorded.
 */
export function applyDeadline(current: OrderState): Transition {
  if (current.status !== 'PENDING') return { change: 'none', state: current };
  return {
    change: 'cancelled',
    state: { ...current, status: 'CANCELLED', cancelReason: 'TIMEOUT' },
  };
}

/** Who an order that is still PENDING is waiting for, e.g. `['billing']`. */
export function awaitedServices(current: OrderState): Array<'billing' | 'inventory'> {
  return [
    ...(current.billingOutcome === null ? (['billing'] as const) : []),
    ...(current.stockOutcome === null ? (['inventory'] as const) : []),
  ];
}
