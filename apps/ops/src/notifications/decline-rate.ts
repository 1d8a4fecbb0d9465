import type { PaymentDeclineRateRule } from './notifications.config';
import type { DeclineRateReading } from './notification-messages';

/** Too few payments say nothing about a rate: the rule is not firing below `minPayments`. */
export function declineRateAbove(
  rule: PaymentDeclineRateRule,
  reading: DeclineRateReading,
): boolean {
  return reading.payments >= rule.minPayments && reading.declined / reading.payments > rule.above;
}

/** A threshold rule notifies when it starts firing and when it stops, never in between. */
export function ruleTransition(wasFiring: boolean, isFiring: boolean): 'fire' | 'resolve' | 'none' {
  if (isFiring === wasFiring) return 'none';
  return isFiring ? 'fire' : 'resolve';
}
