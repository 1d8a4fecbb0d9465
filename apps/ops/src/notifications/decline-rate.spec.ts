import { declineRateAbove, ruleTransition } from './decline-rate';

const rule = {
  rule: 'payment-decline-rate' as const,
  windowMinutes: 10,
  above: 0.3,
  minPayments: 10,
};

describe('payment decline rate rule', () => {
  it('fires when more than the threshold of enough payments were declined', () => {
    expect(declineRateAbove(rule, { declined: 4, payments: 10 })).toBe(true);
  });

  it('does not fire at exactly the threshold', () => {
    expect(declineRateAbove(rule, { declined: 3, payments: 10 })).toBe(false);
  });

  it('does not fire on too few payments, however many were declined', () => {
    expect(declineRateAbove(rule, { declined: 9, payments: 9 })).toBe(false);
    expect(declineRateAbove(rule, { declined: 0, payments: 0 })).toBe(false);
  });

  it('notifies when a rule starts and stops firing, not while it stays the same', () => {
    expect(ruleTransition(false, true)).toBe('fire');
    expect(ruleTransition(true, true)).toBe('none');
    expect(ruleTransition(true, false)).toBe('resolve');
    expect(ruleTransition(false, false)).toBe('none');
  });
});
