import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs`, one run at a time; a failed run (database away) is logged
 * once, until one succeeds again. `stop()` waits for the run in progress.
 */
export class BackgroundLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private failing = false;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<void>,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.work()
      .then(() => {
        if (this.failing) this.log.log(`${this.what} resumed`);
        this.failing = false;
      })
      .catch((error: Error) => {
        if (!this.failing) this.log.warn(`${this.what} failed, will try again: ${error.message}`);
        this.failing = true;
      })
      .finally(() => (this.running = undefined));
  }
}
