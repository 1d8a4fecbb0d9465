import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DatabaseService, PeriodicTask } from '@shop/persistence';
import { sql } from 'drizzle-orm';
import { journalConfig, JournalConfig } from './journal.config';

const DAY_MS = 24 * 60 * 60 * 1_000;
const PRUNE_EVERY_MS = 10 * 60 * 1_000;
/** Small deletes: short transactions, no long lock on a busy table. */
const PRUNE_BATCH = 1_000;

/** Deletes journal rows older than OPS_JOURNAL_RETENTION_DAYS, a small batch at a time. */
@Injectable()
export class JournalPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(JournalPruner.name);
  private readonly task = new PeriodicTask({
    name: 'journal pruning',
    intervalMs: PRUNE_EVERY_MS,
    runAtStart: true,
    run: () => this.prune(),
    onSuccess: (deleted) => {
      if (deleted > 0) this.log.log(`pruned ${deleted} journal rows past retention`);
    },
  });

  constructor(
    private readonly database: DatabaseService,
    @Inject(journalConfig.KEY) private readonly config: JournalConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Rows deleted. */
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.OPS_JOURNAL_RETENTION_DAYS * DAY_MS);
    let total = 0;
    for (;;) {
      const result = await this.database.db.execute(sql`
        DELETE FROM journal_events WHERE id IN (
          SELECT id FROM journal_events WHERE received_at < ${cutoff} LIMIT ${PRUNE_BATCH}
        )`);
      const deleted = result.rowCount ?? 0;
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
