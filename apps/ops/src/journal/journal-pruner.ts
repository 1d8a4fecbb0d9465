import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { DatabaseService } from '@shop/persistence';
import { sql } from 'drizzle-orm';
import { journalConfig, JournalConfig } from './journal.config';

const DAY_MS = 24 * 60 * 60 * 1_000;
const PRUNE_EVERY_MS = 10 * 60 * 1_000;
/** Small deletes: short transactions, no long lock on a busy table. */
const PRUNE_BATCH = 1_000;

/** Deletes journal rows older than OPS_JOURNAL_RETENTION_DAYS, a small batch at a time. */
@Injectable()
export class JournalPruner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(JournalPruner.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly database: DatabaseService,
    @Inject(journalConfig.KEY) private readonly config: JournalConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pruneQuietly(), PRUNE_EVERY_MS);
    this.timer.unref();
    void this.pruneQuietly();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
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

  private async pruneQuietly(): Promise<void> {
    try {
      const deleted = await this.prune();
      if (deleted > 0) this.log.log(`pruned ${deleted} journal rows past retention`);
    } catch (error) {
      this.log.warn(
        `journal pruning failed, retried in ${PRUNE_EVERY_MS / 60_000} min: ${(error as Error).message}`,
      );
    }
  }
}
