/**
 * The simulated gateway's decisions. Deterministic on purpose (the demo rules:
 * docs/architecture.md, "Public names"), so workshops and tests can trigger each path by
 * choosing a customerId.
 */

export const DECLINED_CUSTOMER_PREFIX = 'declined-';
export const FLAKY_CUSTOMER_PREFIX = 'flaky-';
/** A flaky customer's calls fail this many times per idempotency key, then succeed. */
export const FLAKY_FAILED_CALLS = 2;
export const CARD_DECLINED = 'card_declined';

export type ChargeDecision = { outcome: 'captured' } | { outcome: 'declined'; reason: string };

export function decideCharge(customerId: string): ChargeDecision {
  return customerId.startsWith(DECLINED_CUSTOMER_PREFIX)
    ? { outcome: 'declined', reason: CARD_DECLINED }
    : { outcome: 'captured' };
}

/**
 * @param call 1 for the first call with an idempotency key, 2 for the second, ...
 */
export function isFlakyCall(customerId: string, call: number): boolean {
  return customerId.startsWith(FLAKY_CUSTOMER_PREFIX) && call <= FLAKY_FAILED_CALLS;
}

/**
 * The random outage of GATEWAY_FAILURE_RATE.
 * @param roll a number in [0, 1), Math.random() in production
 */
export function rollsOutage(failureRate: number, roll: number): boolean {
  return roll < failureRate;
}
