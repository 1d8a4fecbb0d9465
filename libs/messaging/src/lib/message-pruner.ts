import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DATABASE, Database, PeriodicTask } from '@shop/persistence';
import { sql, SQL } from 'drizzle-orm';
import { messagesPruned } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { inbox, outbox } from './messaging.schema';

const DEFAULT_INTERVAL_MS = 10 * 60_000;
const DEFAULT_BATCH_SIZE = 1_000;

export interface PruneResult {
  inbox: number;
  outbox: number;
}

/**
 * Keeps the inbox and outbox from growing forever: rows older than the retention window go,
 * in small batches, one short statement each. `SKIP LOCKED` steps around rows another
 * transaction holds, so pruning never waits on a handler, and instances can prune together.
 * Unpublished outbox rows are never touched, however old.
 */
@Injectable()
export class MessagePruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(MessagePruner.name);
  private readonly task?: PeriodicTask<PruneResult>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    if (!options.pruning) return;
    this.task = new PeriodicTask({
      name: 'pruning',
      intervalMs: options.pruning.intervalMs ?? DEFAULT_INTERVAL_MS,
      runAtStart: true,
      run: (isStopping) => this.pruneOnce(isStopping),
      onSuccess: (pruned) => {
        if (pruned.inbox + pruned.outbox > 0) {
          this.log.log(
            `pruned ${pruned.inbox} inbox and ${pruned.outbox} outbox rows past the retention window`,
          );
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    this.task?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  /** One pruning run: batch after batch until nothing old is left (or shutdown begins). */
  async pruneOnce(isStopping: () => boolean = () => false): Promise<PruneResult> {
    const pruning = this.options.pruning;
    if (!pruning) return { inbox: 0, outbox: 0 };
    const batchSize = pruning.batchSize ?? DEFAULT_BATCH_SIZE;
    const cutoff = sql`now() - make_interval(secs => ${pruning.retentionMs / 1000})`;
    const result = {
      inbox: await this.deleteInBatches(
        batchSize,
        isStopping,
        (limit) => sql`
          DELETE FROM ${inbox} WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM ${inbox} WHERE handled_at < ${cutoff}
            LIMIT ${limit} FOR UPDATE SKIP LOCKED))`,
      ),
      outbox: await this.deleteInBatches(
        batchSize,
        isStopping,
        // published_at < cutoff is never true for an unpublished (NULL) row.
        (limit) => sql`
          DELETE FROM ${outbox} WHERE id IN (
            SELECT id FROM ${outbox} WHERE published_at < ${cutoff}
            LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
      ),
    };
    messagesPruned.inc({ table: 'inbox' }, result.inbox);
    messagesPruned.inc({ table: 'outbox' }, result.outbox);
    return result;
  }

  private async deleteInBatches(
    batchSize: number,
    isStopping: () => boolean,
    batch: (limit: number) => SQL,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = (await this.db.execute(batch(batchSize))).rowCount ?? 0;
      total += deleted;
      if (deleted < batchSize || isStopping()) return total;
    }
  }
}
