import type { ProbeBackoff } from './circuit-breaker';
import type { Subscriptions } from './subscriptions';
import type { QueueType } from './topology';

export interface RetryPolicy {
  /** Delay before each retry; attempt n waits delaysMs[n-1], and the last delay repeats. */
  delaysMs: number[];
  /** Handler attempts in all, the first one included; then the message is dead-lettered. */
  maxAttempts: number;
}

/**
 * A dependency the handlers need (the service's database, say). When it is unreachable, a
 * failing handler is not the message's fault: the consumer stops, puts the delivery back
 * without counting an attempt, and resumes once `probe` answers.
 */
export interface DependencyGuard {
  /** Names the dependency in logs and health, e.g. "database". */
  name: string;
  /** True when a handler's error means "unreachable right now", not "this message failed". */
  isOutage(error: unknown): boolean;
  /** Resolves when the dependency answers; rejects (soon) while it does not. */
  probe(): Promise<void>;
}

export interface RmqOptions {
  /** Owns the queues: `<service>.events`, `<service>.retry.<delay>`, `<service>.dlq`. */
  service: string;
  /** One broker URL, or a cluster's nodes separated by commas (see `brokerUrls`). */
  url: string;
  /** The type of every queue the service declares; default quorum. */
  queueType?: QueueType;
  /** Unacked deliveries per consumer, i.e. how many handlers run at once. */
  prefetch: number;
  retry: RetryPolicy;
  /**
   * False for a service without `@EventPattern` handlers (apps/ops): it gets no
   * `<service>.events` consumer, yet still declares the whole topology. Default true.
   */
  consumesEvents?: boolean;
  /** Which service consumes which events; every service declares all of it. Default: the shop's. */
  subscriptions?: Subscriptions;
  /** Tells outages of the handlers' dependency from failures of the message. */
  dependencyGuard?: DependencyGuard;
  /** How often an open consumer circuit probes its dependencies. */
  probeBackoff?: ProbeBackoff;
  /** A publish not confirmed by the broker within this time counts as failed. */
  publishTimeoutMs?: number;
  /** On shutdown, how long in-flight handlers may take to finish before the channel closes. */
  drainTimeoutMs?: number;
}

export const RMQ_OPTIONS = Symbol('RMQ_OPTIONS');

export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;
