import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Database, DATABASE, PeriodicTask } from '@shop/persistence';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { deadLetters, replays } from '../dead-letters/dead-letter.schema';
import { replayConfig, ReplayConfig } from './replay.config';

const CHECK_EVERY_MS = 5_000;

/**
 * A retry whose outcome never comes (its acknowledgement lost, the service gone for good)
 * would hold its dead letter in `retrying` forever, and a retrying dead letter cannot be
 * retried again. After OPS_REPLAY_TIMEOUT_MS it goes back to `unresolved`, saying why; if the
 * acknowledgement still comes later, the listener resolves it then.
 */
@Injectable()
export class ReplayWatchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ReplayWatchdog.name);
  private readonly task = new PeriodicTask({
    name: 'replay watchdog',
    intervalMs: CHECK_EVERY_MS,
    run: () => this.releaseOverdue(),
    onSuccess: (released) => {
      if (released > 0) this.log.warn(`${released} retry(ies) without outcome: back to unresolved`);
    },
  });

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(replayConfig.KEY) private readonly config: ReplayConfig,
    private readonly store: DeadLetterStore,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Dead letters still retrying a replay sent longer ago than the timeout; returns how many. */
  async releaseOverdue(): Promise<number> {
    const timeoutMs = this.config.OPS_REPLAY_TIMEOUT_MS;
    const overdue = await this.db
      .select({ id: deadLetters.id, service: deadLetters.service, replayId: replays.id })
      .from(deadLetters)
      .innerJoin(replays, eq(replays.id, deadLetters.pendingReplayId))
      .where(
        and(
          eq(deadLetters.status, 'retrying'),
          isNull(replays.outcome),
          lt(replays.sentAt, sql`now() - make_interval(secs => ${timeoutMs / 1000})`),
        ),
      );
    let released = 0;
    for (const letter of overdue) {
      const row = await this.store.transition(
        letter.id,
        ['retrying'],
        'unresolved',
        {
          kind: 'retry-failed',
          replayId: letter.replayId,
          detail: `no outcome from ${letter.service} within ${timeoutMs / 1000} s (still retrying there, or its acknowledgement was lost): it can be retried again, and the inbox absorbs a double`,
        },
        { pendingReplayId: null },
      );
      if (row) released++;
    }
    return released;
  }
}
