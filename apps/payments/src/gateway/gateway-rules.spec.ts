import { CARD_DECLINED, decideCharge, isFlakyCall, rollsOutage } from './gateway-rules';

describe('gateway rules', () => {
  it('declines a customer whose id starts with "declined-"', () => {
    expect(decideCharge('declined-dave')).toEqual({ outcome: 'declined', reason: CARD_DECLINED });
  });

  it('captures an ordinary customer, even with "declined" elsewhere in the id', () => {
    expect(decideCharge('alice')).toEqual({ outcome: 'captured' });
    expect(decideCharge('not-declined-alice')).toEqual({ outcome: 'captured' });
  });

  it('fails the first two calls of a "flaky-" customer and lets the third through', () => {
    expect([1, 2, 3, 4].map((call) => isFlakyCall('flaky-fred', call))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('never fails an ordinary customer transiently', () => {
    expect(isFlakyCall('alice', 1)).toBe(false);
    expect(isFlakyCall('not-flaky-alice', 1)).toBe(false);
  });

  it('has no outage at failure rate 0 and always one at failure rate 1', () => {
    for (const roll of [0, 0.5, 0.999_999]) {
      expect(rollsOutage(0, roll)).toBe(false);
      expect(rollsOutage(1, roll)).toBe(true);
    }
  });

  it('fails a call when the roll falls under the failure rate', () => {
    expect(rollsOutage(0.3, 0.29)).toBe(true);
    expect(rollsOutage(0.3, 0.3)).toBe(false);
  });
});
