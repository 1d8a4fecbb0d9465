import { Logger } from '@nestjs/common';
import { CircuitBreaker, CircuitState, ProbeBackoff } from './circuit-breaker';
import { describeError } from './failure-policy';
import { consumerCircuitOpen } from './rmq.metrics';

export interface CircuitStatus {
  state: CircuitState;
  /** Why it is not closed. */
  reason?: string;
  /** Since when it is not closed (ISO-8601). */
  since?: string;
}

export interface ConsumerCircuitSettings {
  /** Named in the logs. */
  queue: string;
  backoff: ProbeBackoff;
  /** Stops consuming; resolves once the broker has stopped delivering. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Resolves when every dependency answers; rejects, saying which did not, otherwise. */
  probe(): Promise<void>;
}

/**
 * A process may run several consumers (apps/ops does), each with its own circuit:
 * `shop_consumer_circuit_open` is 1 while any of them is not closed.
 */
const openCircuits = new Set<ConsumerCircuit>();

function showOpenCircuits(): void {
  consumerCircuitOpen.set(openCircuits.size > 0 ? 1 : 0);
}

/**
 * Drives the consumer's circuit breaker: when a dependency is unreachable it stops consuming,
 * probes the dependencies with backoff, and resumes by itself when they answer. Every
 * transition is logged (warn when opening, info when closing) and shown on
 * `shop_consumer_circuit_open`.
 */
export class ConsumerCircuit {
  private readonly log = new Logger(ConsumerCircuit.name);
  private readonly breaker: CircuitBreaker;
  private pausing: Promise<void> = Promise.resolve();
  private probeTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly settings: ConsumerCircuitSettings) {
    this.breaker = new CircuitBreaker(settings.backoff);
    showOpenCircuits();
  }

  get state(): CircuitState {
    return this.breaker.state;
  }

  status(): CircuitStatus {
    const since = this.breaker.since;
    return {
      state: this.breaker.state,
      ...(this.breaker.reason ? { reason: this.breaker.reason } : {}),
      ...(since ? { since: new Date(since).toISOString() } : {}),
    };
  }

  /**
   * A dependency is unreachable: opens the circuit unless it is open already. Resolves once
   * consuming has stopped, so that a delivery put back afterwards is not handed straight back.
   */
  reportOutage(reason: string): Promise<void> {
    if (this.stopped || !this.breaker.trip(reason)) return this.pausing;
    openCircuits.add(this);
    showOpenCircuits();
    const delayMs = this.breaker.nextProbeDelayMs();
    this.log.warn(
      `circuit open: ${reason}; stopped consuming ${this.settings.queue}, deliveries go back to the queue without counting an attempt; first probe in ${delayMs} ms`,
    );
    this.pausing = this.settings.pause();
    this.scheduleProbe(delayMs);
    return this.pausing;
  }

  /** Resolves once the consumer has stopped, while the circuit is not closed. */
  consumerStopped(): Promise<void> {
    return this.pausing;
  }

  /** A message was handled: the backoff starts from the beginning at the next outage. */
  recordSuccess(): void {
    this.breaker.recordSuccess();
  }

  stop(): void {
    this.stopped = true;
    openCircuits.delete(this);
    clearTimeout(this.probeTimer);
  }

  private scheduleProbe(delayMs: number): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(
      () =>
        void this.probe().catch((error) =>
          this.log.error(`circuit probe went wrong: ${describeError(error).message}`),
        ),
      delayMs,
    );
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.stopped) return;
    this.breaker.beginProbe();
    this.log.debug(`circuit half-open: probing the dependencies of ${this.settings.queue}`);
    try {
      await this.settings.probe();
    } catch (error) {
      if (this.stopped) return;
      const { message } = describeError(error);
      this.breaker.probeFailed(message);
      const delayMs = this.breaker.nextProbeDelayMs();
      this.log.warn(`circuit still open: ${message}; next probe in ${delayMs} ms`);
      this.scheduleProbe(delayMs);
      return;
    }
    const openMs = Date.now() - (this.breaker.since ?? Date.now());
    this.breaker.probeSucceeded();
    openCircuits.delete(this);
    showOpenCircuits();
    this.log.log(
      `circuit closed: the dependencies answer again after ${(openMs / 1000).toFixed(1)} s; consuming ${this.settings.queue} again`,
    );
    await this.settings.resume();
  }
}
