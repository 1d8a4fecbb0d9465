import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { DomainEvent } from '@shop/contracts';
import { DATABASE, DATABASE_OPTIONS, Database, DatabaseOptions } from '@shop/persistence';
import { RmqConnection, RmqPublisher } from '@shop/rmq';
import { deserializeTraceContext, shutdownTracing } from '@shop/tracing';
import { eq, inArray, isNull, sql } from 'drizzle-orm';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  outboxBacklog,
  outboxOldestPendingSeconds,
  outboxPublishFailures,
  setOutboxBacklogProbe,
} from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions, OUTBOX_CHANNEL } from './messaging.options';
import { outbox } from './messaging.schema';

const DEFAULT_BATCH_SIZE = 200;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const LISTEN_RECONNECT_MS = 1_000;
const FINAL_FLUSH_TIMEOUT_MS = 5_000;
const MAX_ROW_BACKOFF_MS = 30_000;
/** Longer than a publish may take (the publisher's confirm timeout), so a lease never lapses mid-publish. */
const CLAIM_LEASE_MS = 15_000;

interface ClaimedRow extends Record<string, unknown> {
  id: string | number;
  event_type: string;
  envelope: DomainEvent;
  attempts: number;
  trace_context: string | null;
}

export interface FlushResult {
  fetched: number;
  published: number;
  failed: number;
}

/**
 * Moves committed outbox rows to the broker. It wakes on the NOTIFY sent at commit, polls as a
 * safety net, and marks a row sent only after the broker confirmed it. A row that fails is
 * kept, counted, logged and tried again later with backoff; nothing is dropped.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelay.name);
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private pollTimer?: NodeJS.Timeout;
  private listener?: Client;
  private running?: Promise<void>;
  private wokenWhileRunning = false;
  private started = false;
  private pausedForBroker = false;
  private wasConnected = false;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(DATABASE_OPTIONS) private readonly databaseOptions: DatabaseOptions,
    private readonly connection: RmqConnection,
    private readonly publisher: RmqPublisher,
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
  ) {
    this.batchSize = options.relay?.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.relay?.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.started = true;
    setOutboxBacklogProbe(() => this.measureBacklog());
    void this.listenForCommits();
    this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    clearInterval(this.pollTimer);
    await this.listener?.end().catch(() => undefined);
    await this.running;
    // Rows committed by the handlers that just drained: publish them now rather than at next start.
    if (this.connection.isConnected()) {
      await Promise.race([
        this.flushUntilIdle(),
        sleep(FINAL_FLUSH_TIMEOUT_MS, undefined, { ref: false }),
      ]);
    }
    // The final flush above is the last work that makes spans (consumers and HTTP closed
    // before shutdown hooks run): export what is buffered before the process exits.
    await shutdownTracing().catch(() => undefined);
  }

  /** Asks for a flush; calls that arrive during one are folded into a single follow-up. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    // setImmediate: notifications read from the socket together become one flush.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flushUntilIdle())
      .finally(() => {
        this.running = undefined;
        if (this.wokenWhileRunning) {
          this.wokenWhileRunning = false;
          this.wake();
        }
      });
  }

  /** Publishes until no due row is left, a publish fails, or the broker is away. */
  async flushUntilIdle(): Promise<void> {
    try {
      for (;;) {
        if (!this.connection.isConnected()) {
          // Before the first connection this is just start-up, not worth a warning.
          if (!this.pausedForBroker && this.wasConnected)
            this.log.warn('broker unavailable: outbox relay paused');
          this.pausedForBroker = true;
          return;
        }
        if (this.pausedForBroker && this.wasConnected)
          this.log.log('broker back: outbox relay resumed');
        this.pausedForBroker = false;
        this.wasConnected = true;
        const result = await this.publishBatch();
        if (result.fetched < this.batchSize || result.failed > 0) return;
      }
    } catch (error) {
      // Typically the database is away; the next poll tries again.
      this.log.warn(`outbox relay paused: ${(error as Error).message}`);
    }
  }

  /**
   * Claims a batch of due rows, publishes them all, records each outcome. No transaction is
   * held while the broker confirms: the claim is a lease (next_attempt_at moved ahead), which
   * keeps other relays off the rows and expires by itself if this process dies mid-batch.
   */
  async publishBatch(): Promise<FlushResult> {
    const claimed = await this.db.execute<ClaimedRow>(sql`
      UPDATE ${outbox} SET next_attempt_at = now() + make_interval(secs => ${CLAIM_LEASE_MS / 1000})
      WHERE id IN (
        SELECT id FROM ${outbox}
        WHERE published_at IS NULL AND next_attempt_at <= now()
        ORDER BY id LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, event_type, envelope, attempts, trace_context`);
    // RETURNING has no order; publish in commit order.
    const rows = claimed.rows
      .map((row) => ({ ...row, id: Number(row.id) }))
      .sort((a, b) => a.id - b.id);
    if (rows.length === 0) return { fetched: 0, published: 0, failed: 0 };

    // Each row is published in the trace context it was written in, never in the relay's own:
    // a batch holds rows of many requests, and each message must join its own trace.
    const results = await Promise.allSettled(
      rows.map((row) =>
        context.with(deserializeTraceContext(row.trace_context), () =>
          this.publisher.publishEvent(row.envelope),
        ),
      ),
    );
    const publishedIds = rows
      .filter((_, i) => results[i].status === 'fulfilled')
      .map((row) => row.id);
    if (publishedIds.length > 0) {
      await this.db
        .update(outbox)
        .set({ publishedAt: sql`now()` })
        .where(inArray(outbox.id, publishedIds));
    }
    let failed = 0;
    for (const [i, row] of rows.entries()) {
      const result = results[i];
      if (result.status === 'fulfilled') continue;
      failed++;
      const error = (result.reason as Error).message;
      const backoffMs = Math.min(MAX_ROW_BACKOFF_MS, 500 * 2 ** row.attempts);
      outboxPublishFailures.inc({ event_type: row.event_type });
      this.log.error({
        msg: `cannot publish ${row.event_type} from the outbox (attempt ${row.attempts + 1}); next try in ${backoffMs} ms: ${error}`,
        eventId: row.envelope.eventId,
      });
      await this.db
        .update(outbox)
        .set({
          attempts: row.attempts + 1,
          lastError: error,
          nextAttemptAt: sql`now() + make_interval(secs => ${backoffMs / 1000})`,
        })
        .where(eq(outbox.id, row.id));
    }
    return { fetched: rows.length, published: publishedIds.length, failed };
  }

  /** A dedicated connection that LISTENs for commit notifications, re-opened if it drops. */
  private async listenForCommits(): Promise<void> {
    while (this.started) {
      const client = new Client({ connectionString: this.databaseOptions.url });
      const closed = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      try {
        await client.connect();
        client.on('notification', () => this.wake());
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        this.listener = client;
        this.wake(); // catch up on commits made while nobody was listening
        await closed;
      } catch (error) {
        if (this.started) this.log.warn(`outbox listener: ${(error as Error).message}`);
      } finally {
        this.listener = undefined;
        await client.end().catch(() => undefined);
      }
      if (this.started) await sleep(LISTEN_RECONNECT_MS);
    }
  }

  private async measureBacklog(): Promise<void> {
    try {
      const [row] = await this.db
        .select({
          pending: sql<number>`count(*)::int`,
          oldestSeconds: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float`,
        })
        .from(outbox)
        .where(isNull(outbox.publishedAt));
      outboxBacklog.set(row.pending);
      outboxOldestPendingSeconds.set(row.oldestSeconds);
    } catch {
      // Database away: keep the last known values rather than failing the whole scrape.
    }
  }
}
