import type { InvalidEventReason } from '@shop/contracts';
import { RetryPolicy } from './rmq.options';

/**
 * Thrown by a handler to say "retrying cannot help" (a business rule broken for good,
 * a reference that will never exist): the message is dead-lettered at once.
 */
/** The retry ladder's delays unless RETRY_DELAYS_MS says otherwise: one delay queue each. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 30000];

export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

/** Why a message could never be handled, whatever the number of attempts. */
export type PoisonReason = 'unparseable' | InvalidEventReason | 'no-handler';

export type DeadLetterReason = PoisonReason | 'non-retryable' | 'retries-exhausted';

/** What happens to a message whose handler failed. */
export type FailureDecision =
  | { outcome: 'retry'; attempts: number; delayMs: number }
  | { outcome: 'dead-letter'; attempts: number; reason: DeadLetterReason };

/**
 * @param failedBefore attempts that had already failed before this one
 */
export function decideOnFailure(
  error: unknown,
  failedBefore: number,
  policy: RetryPolicy,
): FailureDecision {
  const attempts = failedBefore + 1;
  if (error instanceof NonRetryableError) {
    return { outcome: 'dead-letter', attempts, reason: 'non-retryable' };
  }
  if (attempts >= policy.maxAttempts || policy.delaysMs.length === 0) {
    return { outcome: 'dead-letter', attempts, reason: 'retries-exhausted' };
  }
  const delayMs = policy.delaysMs[Math.min(attempts, policy.delaysMs.length) - 1];
  return { outcome: 'retry', attempts, delayMs };
}

/** Message and stack of an error, with its causes: drizzle, for one, wraps the driver's error. */
export function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) {
    const messages = [error.message || error.name];
    for (let cause = error.cause; cause instanceof Error; cause = cause.cause)
      messages.push(cause.message);
    return { message: messages.join(' <- caused by: '), stack: error.stack };
  }
  if (typeof error === 'object' && error !== null) {
    try {
      return { message: JSON.stringify(error) };
    } catch {
      // Circular, or a getter that throws: describing must never fail.
      return { message: Object.prototype.toString.call(error) };
    }
  }
  return { message: String(error) };
}
