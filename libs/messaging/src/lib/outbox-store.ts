import { Inject, Injectable } from '@nestjs/common';
import { DomainEvent } from '@shop/contracts';
import { DATABASE, Database } from '@shop/persistence';
import { eq, inArray, isNull, sql } from 'drizzle-orm';
import { outbox } from './messaging.schema';

/** Longer than a publish may take (the publisher's confirm timeout), so a lease never lapses mid-publish. */
const CLAIM_LEASE_MS = 15_000;
const MAX_ROW_BACKOFF_MS = 30_000;

/** An outbox row the relay holds a lease on. */
export interface ClaimedRow {
  id: number;
  eventType: string;
  envelope: DomainEvent;
  /** Failed publishes so far. */
  attempts: number;
  traceContext: string | null;
}

export interface OutboxBacklog {
  pending: number;
  oldestSeconds: number;
}

/** How long a row that failed `attempts` times waits before its next try. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_ROW_BACKOFF_MS, 500 * 2 ** attempts);
}

/** The relay's SQL: claim due rows, then record what became of each. */
@Injectable()
export class OutboxStore {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Claims up to `limit` due rows, oldest first. The claim is a lease (next_attempt_at moved
   * ahead), not a transaction held while the broker confirms: it keeps other relays off the
   * rows and expires by itself if this process dies mid-batch.
   */
  async claimDue(limit: number): Promise<ClaimedRow[]> {
    const claimed = await this.db.execute<{
      id: string | number;
      event_type: string;
      envelope: DomainEvent;
      attempts: number;
      trace_context: string | null;
    }>(sql`
      UPDATE ${outbox} SET next_attempt_at = now() + make_interval(secs => ${CLAIM_LEASE_MS / 1000})
      WHERE id IN (
        SELECT id FROM ${outbox}
        WHERE published_at IS NULL AND next_attempt_at <= now()
        ORDER BY id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, event_type, envelope, attempts, trace_context`);
    // RETURNING has no order; publish in commit order.
    return claimed.rows
      .map((row) => ({
        id: Number(row.id),
        eventType: row.event_type,
        envelope: row.envelope,
        attempts: row.attempts,
        traceContext: row.trace_context,
      }))
      .sort((a, b) => a.id - b.id);
  }

  async markPublished(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(outbox)
      .set({ publishedAt: sql`now()` })
      .where(inArray(outbox.id, ids));
  }

  /** Keeps the row, with its error, for another try in `retryInMs`. */
  async markFailed(row: ClaimedRow, error: string, retryInMs: number): Promise<void> {
    await this.db
      .update(outbox)
      .set({
        attempts: row.attempts + 1,
        lastError: error,
        nextAttemptAt: sql`now() + make_interval(secs => ${retryInMs / 1000})`,
      })
      .where(eq(outbox.id, row.id));
  }

  /** What is committed but not yet confirmed by the broker. */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.db
      .select({
        pending: sql<number>`count(*)::int`,
        oldestSeconds: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float`,
      })
      .from(outbox)
      .where(isNull(outbox.publishedAt));
    return row;
  }
}
