import { decideOnFailure, describeError, NonRetryableError } from './failure-policy';

const policy = { delaysMs: [1000, 5000, 30000], maxAttempts: 5 };

describe('failure policy', () => {
  it('retries a first failure after the first delay', () => {
    expect(decideOnFailure(new Error('db down'), 0, policy)).toEqual({
      outcome: 'retry',
      attempts: 1,
      delayMs: 1000,
    });
  });

  it('backs off along the configured delays, repeating the last one', () => {
    const delays = [0, 1, 2, 3].map((failedBefore) =>
      decideOnFailure(new Error('x'), failedBefore, policy),
    );
    expect(
      delays.map((decision) =>
        decision.outcome === 'retry' ? decision.delayMs : decision.outcome,
      ),
    ).toEqual([1000, 5000, 30000, 30000]);
  });

  it('dead-letters once the attempts are used up', () => {
    expect(decideOnFailure(new Error('x'), 4, policy)).toEqual({
      outcome: 'dead-letter',
      attempts: 5,
      reason: 'retries-exhausted',
    });
  });

  it('never retries when one attempt is allowed', () => {
    expect(decideOnFailure(new Error('x'), 0, { ...policy, maxAttempts: 1 })).toMatchObject({
      outcome: 'dead-letter',
      attempts: 1,
    });
  });

  it('dead-letters a NonRetryableError at once', () => {
    expect(decideOnFailure(new NonRetryableError('order unknown'), 0, policy)).toEqual({
      outcome: 'dead-letter',
      attempts: 1,
      reason: 'non-retryable',
    });
  });
});

describe('describeError', () => {
  it('keeps the causes a wrapper hides', () => {
    const driverError = new Error('sorry, too many clients already');
    const wrapped = new Error('Failed query: insert into "inbox"', { cause: driverError });
    expect(describeError(wrapped).message).toBe(
      'Failed query: insert into "inbox" <- caused by: sorry, too many clients already',
    );
  });

  it('describes things that are not errors', () => {
    expect(describeError('plain text')).toEqual({ message: 'plain text' });
    expect(describeError({ status: 'error' })).toEqual({ message: '{"status":"error"}' });
  });

  it('describes an object that cannot be turned into JSON instead of throwing', () => {
    const circular: Record<string, unknown> = { status: 'error' };
    circular['self'] = circular;
    expect(describeError(circular)).toEqual({ message: '[object Object]' });
  });
});
