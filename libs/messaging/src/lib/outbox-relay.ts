import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { DATABASE_OPTIONS, DatabaseOptions } from '@shop/persistence';
import { RmqConnection, RmqPublisher } from '@shop/rmq';
import { deserializeTraceContext, shutdownTracing } from '@shop/tracing';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommitListener } from './commit-listener';
import { outboxPublishFailures, setOutboxBacklogSource } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { ClaimedRow, OutboxStore, retryDelayMs } from './outbox-store';

const DEFAULT_BATCH_SIZE = 200;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const FINAL_FLUSH_TIMEOUT_MS = 5_000;

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
  private readonly commits: CommitListener;
  private readonly broker: BrokerAvailability;
  private pollTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wokenWhileRunning = false;
  private started = false;

  constructor(
    private readonly store: OutboxStore,
    @Inject(DATABASE_OPTIONS) databaseOptions: DatabaseOptions,
    connection: RmqConnection,
    private readonly publisher: RmqPublisher,
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
  ) {
    this.batchSize = options.relay?.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.relay?.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.commits = new CommitListener(databaseOptions.url, () => this.wake());
    this.broker = new BrokerAvailability(connection, this.log);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    setOutboxBacklogSource(() => this.store.backlog());
    this.commits.start();
    this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    clearInterval(this.pollTimer);
    await this.commits.stop();
    await this.running;
    // Rows committed by the handlers that just drained: publish them now rather than at next start.
    if (this.broker.isConnected()) {
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
      while (this.broker.isAvailable()) {
        const result = await this.publishBatch();
        if (result.fetched < this.batchSize || result.failed > 0) return;
      }
    } catch (error) {
      // Typically the database is away; the next poll tries again.
      this.log.warn(`outbox relay paused: ${(error as Error).message}`);
    }
  }

  /** Claims a batch of due rows, publishes them all, records each outcome. */
  async publishBatch(): Promise<FlushResult> {
    const rows = await this.store.claimDue(this.batchSize);
    if (rows.length === 0) return { fetched: 0, published: 0, failed: 0 };

    // Each row is published in the trace context it was written in, never in the relay's own:
    // a batch holds rows of many requests, and each message must join its own trace.
    const results = await Promise.allSettled(
      rows.map((row) =>
        context.with(deserializeTraceContext(row.traceContext), () =>
          this.publisher.publishEvent(row.envelope),
        ),
      ),
    );
    const published = rows.filter((_, i) => results[i].status === 'fulfilled');
    await this.store.markPublished(published.map((row) => row.id));
    const failed = rows.flatMap((row, i) => {
      const result = results[i];
      return result.status === 'rejected' ? [{ row, error: (result.reason as Error).message }] : [];
    });
    for (const { row, error } of failed) await this.keepForRetry(row, error);
    return { fetched: rows.length, published: published.length, failed: failed.length };
  }

  private async keepForRetry(row: ClaimedRow, error: string): Promise<void> {
    const retryInMs = retryDelayMs(row.attempts);
    outboxPublishFailures.inc({ event_type: row.eventType });
    this.log.error({
      msg: `cannot publish ${row.eventType} from the outbox (attempt ${row.attempts + 1}); next try in ${retryInMs} ms: ${error}`,
      eventId: row.envelope.eventId,
    });
    await this.store.markFailed(row, error, retryInMs);
  }
}

/**
 * Whether the relay can publish, saying so when the broker goes away and when it comes back
 * (not before the first connection: that is only start-up).
 */
class BrokerAvailability {
  private seen: 'never' | 'up' | 'away' = 'never';

  constructor(
    private readonly connection: RmqConnection,
    private readonly log: Logger,
  ) {}

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  isAvailable(): boolean {
    const connected = this.isConnected();
    if (!connected && this.seen === 'up') this.log.warn('broker unavailable: outbox relay paused');
    if (connected && this.seen === 'away') this.log.log('broker back: outbox relay resumed');
    if (connected) this.seen = 'up';
    else if (this.seen === 'up') this.seen = 'away';
    return connected;
  }
}
