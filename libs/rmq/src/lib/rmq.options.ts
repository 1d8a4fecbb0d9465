export interface RetryPolicy {
  /** Delay before each retry; attempt n waits delaysMs[n-1], and the last delay repeats. */
  delaysMs: number[];
  /** Handler attempts in all, the first one included; then the message is dead-lettered. */
  maxAttempts: number;
}

export interface RmqOptions {
  /** Owns the queues: `<service>.events`, `<service>.retry.<delay>`, `<service>.dlq`. */
  service: string;
  url: string;
  /** Unacked deliveries per consumer, i.e. how many handlers run at once. */
  prefetch: number;
  retry: RetryPolicy;
  /** A publish not confirmed by the broker within this time counts as failed. */
  publishTimeoutMs?: number;
  /** On shutdown, how long in-flight handlers may take to finish before the channel closes. */
  drainTimeoutMs?: number;
}

export const RMQ_OPTIONS = Symbol('RMQ_OPTIONS');

export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;
