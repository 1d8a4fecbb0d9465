/**
 * - `closed`: consuming normally.
 * - `open`: a dependency is unreachable; consuming has stopped until the next probe.
 * - `half-open`: probing the dependencies; consuming resumes if they answer.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitTransition {
  from: CircuitState;
  to: CircuitState;
  reason: string;
}

export interface ProbeBackoff {
  /** Wait before the first probe after the circuit opens. */
  initialDelayMs: number;
  /** The wait doubles with each strike, up to this. */
  maxDelayMs: number;
}

export const DEFAULT_PROBE_BACKOFF: ProbeBackoff = { initialDelayMs: 500, maxDelayMs: 5_000 };

/**
 * The consumer's circuit breaker as a pure state machine: no timers, no I/O. The caller
 * (`ConsumerCircuit`) acts on the transitions it returns.
 *
 * Every trip and every failed probe is a strike, and the wait before the next probe doubles
 * with each strike. Only a message handled successfully clears the strikes, so a dependency
 * that answers probes but still fails real work is probed less and less often.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private why?: string;
  private openedAt?: number;
  private strikes = 0;

  constructor(private readonly backoff: ProbeBackoff = DEFAULT_PROBE_BACKOFF) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Why the circuit is not closed: the outage, then the last failed probe. */
  get reason(): string | undefined {
    return this.why;
  }

  /** When the circuit opened (epoch ms), while it is not closed. */
  get since(): number | undefined {
    return this.openedAt;
  }

  /** An outage was seen. Opens a closed circuit; an open or probing one stays as it is. */
  trip(reason: string, now = Date.now()): CircuitTransition | undefined {
    if (this.current !== 'closed') return undefined;
    this.strikes++;
    this.openedAt = now;
    return this.move('open', reason);
  }

  beginProbe(): CircuitTransition {
    this.expect('open', 'begin a probe');
    return this.move('half-open', this.why ?? 'probing');
  }

  probeSucceeded(): CircuitTransition {
    this.expect('half-open', 'close after a probe');
    const transition = this.move('closed', 'the dependencies answer again');
    this.why = undefined;
    this.openedAt = undefined;
    return transition;
  }

  probeFailed(reason: string): CircuitTransition {
    this.expect('half-open', 'reopen after a probe');
    this.strikes++;
    return this.move('open', reason);
  }

  /** A message was handled: whatever the outage was, it is over. */
  recordSuccess(): void {
    if (this.current === 'closed') this.strikes = 0;
  }

  /** How long to stay open before the next probe. */
  nextProbeDelayMs(): number {
    const doublings = Math.max(0, this.strikes - 1);
    return Math.min(this.backoff.maxDelayMs, this.backoff.initialDelayMs * 2 ** doublings);
  }

  private move(to: CircuitState, reason: string): CircuitTransition {
    const transition = { from: this.current, to, reason };
    this.current = to;
    this.why = reason;
    return transition;
  }

  private expect(state: CircuitState, action: string): void {
    if (this.current !== state) {
      throw new Error(`cannot ${action} while the circuit is ${this.current}`);
    }
  }
}
