import { Logger } from '@nestjs/common';

export interface PeriodicTaskOptions<T> {
  /** Names the task in its log lines: "deadline sweep failed, will try again". */
  name: string;
  intervalMs: number;
  /** Also run once right away, not only after the first interval. */
  runAtStart?: boolean;
  /** One run; `isStopping()` tells a long run to end early. */
  run(isStopping: () => boolean): Promise<T>;
  /** Told about each successful run, e.g. to log what it did. */
  onSuccess?(result: T): void;
}

/**
 * Background database work on an interval (sweeps, pruning): one run at a time; a failed run
 * (the database away, say) is logged once, not on every tick, and simply tried again at the
 * next one; on shutdown, the run in progress is awaited.
 */
export class PeriodicTask<T> {
  private readonly log: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;
  private failing = false;

  constructor(private readonly options: PeriodicTaskOptions<T>) {
    this.log = new Logger(options.name);
  }

  start(): void {
    this.timer = setInterval(() => this.runInBackground(), this.options.intervalMs);
    if (this.options.runAtStart) this.runInBackground();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  private runInBackground(): void {
    if (this.running || this.stopping) return;
    this.running = this.options
      .run(() => this.stopping)
      .then((result) => {
        if (this.failing) this.log.log(`${this.options.name} resumed`);
        this.failing = false;
        this.options.onSuccess?.(result);
      })
      .catch((error: Error) => {
        if (!this.failing)
          this.log.warn(`${this.options.name} failed, will try again: ${error.message}`);
        this.failing = true;
      })
      .finally(() => (this.running = undefined));
  }
}
