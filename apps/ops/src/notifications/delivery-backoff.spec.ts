import { MAX_DELIVERY_ATTEMPTS, retryDelayAfter } from './delivery-backoff';

describe('webhook delivery backoff', () => {
  it('waits 1 s after the first failure and doubles the wait after each further one', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayAfter)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('never waits more than 5 minutes', () => {
    expect(retryDelayAfter(10)).toBe(300_000);
    expect(retryDelayAfter(MAX_DELIVERY_ATTEMPTS - 1)).toBe(300_000);
  });

  it(`gives up after ${MAX_DELIVERY_ATTEMPTS} failed attempts`, () => {
    expect(retryDelayAfter(MAX_DELIVERY_ATTEMPTS)).toBe('give-up');
  });
});
