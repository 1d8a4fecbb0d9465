import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The deliveries a consumer is still working on, so that shutdown can let them finish (and
 * settle) before the channel closes: what is still running then is redelivered by the broker.
 */
export class InFlightWork {
  private readonly work = new Set<Promise<void>>();

  get size(): number {
    return this.work.size;
  }

  /** Tracks `work` until it settles; handling its failure stays the caller's job. */
  add(work: Promise<void>): void {
    this.work.add(work);
    void work.finally(() => this.work.delete(work)).catch(() => undefined);
  }

  /** Waits until everything tracked has settled, or `timeoutMs`; true when nothing is left. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.work.size > 0 && Date.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.work]),
        sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false }),
      ]);
    }
    return this.work.size === 0;
  }
}
