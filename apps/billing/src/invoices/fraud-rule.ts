import { Money } from '@shop/contracts';

/**
 * Above this total an order is treated as fraud (the demo rules: docs/architecture.md,
 * "Public names").
 */
export const FRAUD_TOTAL_LIMIT_CENTS = 1_000_000;
export const FRAUD_CUSTOMER_PREFIX = 'fraud-';

/** Deterministic on purpose, so workshops and tests can trigger the fraud path at will. */
export function isFraudulent(order: { customerId: string; total: Money }): boolean {
  return (
    order.customerId.startsWith(FRAUD_CUSTOMER_PREFIX) ||
    order.total.amountCents > FRAUD_TOTAL_LIMIT_CENTS
  );
}
