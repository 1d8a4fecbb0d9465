import { CancellationReason, OrderProcessedStatus } from '@shop/contracts';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type BillingOutcome = OrderProcessedStatus;

export interface OrderState {
  status: OrderStatus;
  cancelReason: CancellationReason | null;
  billingOutcome: BillingOutcome | null;
}

/** What an incoming outcome does to an order. */
export type Transition =
  | { outcome: 'confirmed'; state: OrderState }
  | { outcome: 'cancelled'; state: OrderState }
  | { outcome: 'unchanged'; state: OrderState };

const CANCELLATION_BY_BILLING: Partial<Record<BillingOutcome, CancellationReason>> = {
  CANCELED_FRAUD: 'FRAUD',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
};

/**
 * Folds billing's outcome into an order. A terminal order never moves again: a late or
 * repeated outcome is recorded but leaves the status alone.
 */
export function applyBillingOutcome(
  current: OrderState,
  billingOutcome: BillingOutcome,
): Transition {
  if (current.status !== 'PENDING') {
    return {
      outcome: 'unchanged',
      state: { ...current, billingOutcome: current.billingOutcome ?? billingOutcome },
    };
  }
  const cancelReason = CANCELLATION_BY_BILLING[billingOutcome];
  if (cancelReason) {
    return { outcome: 'cancelled', state: { status: 'CANCELLED', cancelReason, billingOutcome } };
  }
  return {
    outcome: 'confirmed',
    state: { status: 'CONFIRMED', cancelReason: null, billingOutcome },
  };
}
