import { Inject, Injectable } from '@nestjs/common';
import { Database, DATABASE, Executor } from '@shop/persistence';
import { and, asc, desc, eq, gte, inArray, lte, sql, SQL } from 'drizzle-orm';
import { CollectedDeadLetter } from './dead-letter-message';
import {
  deadLetterHistory,
  DeadLetterRow,
  deadLetters,
  DeadLetterStatus,
  failureGroups,
  FailureGroupRow,
  HistoryKind,
} from './dead-letter.schema';
import { errorShape, groupTitle } from './error-shape';

/** How a collected dead letter was stored. */
export type RecordOutcome =
  | { outcome: 'new'; id: string }
  /** The same event failed again in the same service: one more failure in its history. */
  | { outcome: 'failed-again'; id: string; kind: 'dead-lettered' | 'retry-failed' }
  /** A redelivered copy of a failure already stored (ops stopped before its ack). */
  | { outcome: 'already-recorded'; id: string };

export interface DeadLetterFilter {
  service?: string;
  eventType?: string;
  reason?: string;
  status?: DeadLetterStatus;
  q?: string;
  from?: Date;
  to?: Date;
  groupId?: string;
}

export interface HistoryEntry {
  kind: HistoryKind;
  actor?: string | null;
  reason?: string | null;
  detail?: string | null;
  replayId?: string | null;
  jobId?: string | null;
}

/** The dead letters in PostgreSQL: storing what the collector reads, finding, and history. */
@Injectable()
export class DeadLetterStore {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Stores one collected message in one transaction; the caller acks after it commits. */
  async record(collected: CollectedDeadLetter): Promise<RecordOutcome> {
    return this.db.transaction(async (tx) => {
      const groupId = await this.groupFor(tx, collected);
      const [inserted] = await tx
        .insert(deadLetters)
        .values({ ...letterColumns(collected), groupId })
        .onConflictDoNothing({ target: [deadLetters.service, deadLetters.identity] })
        .returning({ id: deadLetters.id });
      if (inserted) {
        await this.addHistory(tx, inserted.id, {
          kind: 'dead-lettered',
          detail: `${collected.reason}: ${collected.errorMessage}`,
          deliveryKey: collected.deliveryKey,
        });
        return { outcome: 'new', id: inserted.id };
      }
      // Rows of one (service, event) are serialised here until commit.
      const [existing] = await tx
        .select({ id: deadLetters.id })
        .from(deadLetters)
        .where(
          and(
            eq(deadLetters.service, collected.service),
            eq(deadLetters.identity, collected.identity),
          ),
        )
        .for('update');
      const kind = collected.replayId ? 'retry-failed' : 'dead-lettered';
      const added = await this.addHistory(tx, existing.id, {
        kind,
        detail: `${collected.reason}: ${collected.errorMessage}`,
        replayId: collected.replayId,
        deliveryKey: collected.deliveryKey,
      });
      if (!added) return { outcome: 'already-recorded', id: existing.id };
      const { firstFailureAt: _first, ...latest } = letterColumns(collected);
      await tx
        .update(deadLetters)
        .set({
          ...latest,
          groupId,
          status: 'unresolved',
          pendingReplayId: null,
          failures: sql`${deadLetters.failures} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(deadLetters.id, existing.id));
      return { outcome: 'failed-again', id: existing.id, kind };
    });
  }

  async find(id: string): Promise<(DeadLetterRow & { group: FailureGroupRow }) | undefined> {
    const [row] = await this.db
      .select()
      .from(deadLetters)
      .innerJoin(failureGroups, eq(failureGroups.id, deadLetters.groupId))
      .where(eq(deadLetters.id, id));
    return row ? { ...row.dead_letters, group: row.failure_groups } : undefined;
  }

  async list(filter: DeadLetterFilter, limit: number, offset: number) {
    const where = whereOf(filter);
    const [{ total }] = await this.db
      .select({ total: sql<number>`count(*)::int` })
      .from(deadLetters)
      .where(where);
    const rows =
      limit === 0
        ? []
        : await this.db
            .select()
            .from(deadLetters)
            .innerJoin(failureGroups, eq(failureGroups.id, deadLetters.groupId))
            .where(where)
            .orderBy(desc(deadLetters.deadLetteredAt), desc(deadLetters.id))
            .limit(limit)
            .offset(offset);
    return {
      total,
      items: rows.map((row) => ({ ...row.dead_letters, group: row.failure_groups })),
    };
  }

  /** Ids of the dead letters a filter selects, oldest first (the order a bulk retry sends them). */
  async idsMatching(filter: DeadLetterFilter): Promise<string[]> {
    const rows = await this.db
      .select({ id: deadLetters.id })
      .from(deadLetters)
      .where(whereOf(filter))
      .orderBy(asc(deadLetters.deadLetteredAt), asc(deadLetters.id));
    return rows.map((row) => row.id);
  }

  async history(id: string) {
    return this.db
      .select()
      .from(deadLetterHistory)
      .where(eq(deadLetterHistory.deadLetterId, id))
      .orderBy(asc(deadLetterHistory.id));
  }

  /**
   * Moves a dead letter from one status to another (and its history with it), in one
   * transaction; undefined when it is not in an allowed status (someone else got there first).
   */
  async transition(
    id: string,
    from: DeadLetterStatus[],
    to: DeadLetterStatus,
    entry: HistoryEntry,
    changes: { pendingReplayId?: string | null } = {},
    executor: Executor = this.db,
  ): Promise<DeadLetterRow | undefined> {
    const run = async (tx: Executor) => {
      const [row] = await tx
        .update(deadLetters)
        .set({ status: to, updatedAt: new Date(), ...changes })
        .where(and(eq(deadLetters.id, id), inArray(deadLetters.status, from)))
        .returning();
      if (row) await this.addHistory(tx, id, entry);
      return row;
    };
    return executor === this.db ? this.db.transaction(run) : run(executor);
  }

  async addHistory(
    executor: Executor,
    deadLetterId: string,
    entry: HistoryEntry & { deliveryKey?: string | null },
  ): Promise<boolean> {
    const rows = await executor
      .insert(deadLetterHistory)
      .values({
        deadLetterId,
        kind: entry.kind,
        actor: entry.actor ?? null,
        reason: entry.reason ?? null,
        detail: entry.detail ?? null,
        replayId: entry.replayId ?? null,
        jobId: entry.jobId ?? null,
        deliveryKey: entry.deliveryKey ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: deadLetterHistory.id });
    return rows.length > 0;
  }

  async groups(status?: DeadLetterStatus) {
    const unresolved = sql<number>`count(*) filter (where ${deadLetters.status} in ('unresolved', 'retrying'))::int`;
    return this.db
      .select({
        id: failureGroups.id,
        title: failureGroups.title,
        service: failureGroups.service,
        eventType: failureGroups.eventType,
        errorShape: failureGroups.errorShape,
        reason: failureGroups.reason,
        count: sql<number>`count(*)::int`,
        unresolved,
        firstSeen: sql<Date>`min(${deadLetters.firstFailureAt})`,
        lastSeen: sql<Date>`max(${deadLetters.deadLetteredAt})`,
      })
      .from(failureGroups)
      .innerJoin(deadLetters, eq(deadLetters.groupId, failureGroups.id))
      .where(status ? eq(deadLetters.status, status) : undefined)
      .groupBy(failureGroups.id)
      .orderBy(desc(sql`max(${deadLetters.deadLetteredAt})`));
  }

  async countUnresolvedByService(): Promise<Array<{ service: string; count: number }>> {
    return this.db
      .select({ service: deadLetters.service, count: sql<number>`count(*)::int` })
      .from(deadLetters)
      .where(inArray(deadLetters.status, ['unresolved', 'retrying']))
      .groupBy(deadLetters.service);
  }

  /** Finds or creates the group; never updates it, so concurrent collectors do not queue on it. */
  private async groupFor(tx: Executor, collected: CollectedDeadLetter): Promise<string> {
    const key = {
      service: collected.service,
      eventType: collected.eventType ?? '',
      reason: collected.reason,
      errorShape: errorShape(collected.errorMessage),
    };
    const [created] = await tx
      .insert(failureGroups)
      .values({ ...key, title: groupTitle(key.service, collected.eventType, key.errorShape) })
      .onConflictDoNothing()
      .returning({ id: failureGroups.id });
    if (created) return created.id;
    const [existing] = await tx
      .select({ id: failureGroups.id })
      .from(failureGroups)
      .where(
        and(
          eq(failureGroups.service, key.service),
          eq(failureGroups.eventType, key.eventType),
          eq(failureGroups.reason, key.reason),
          eq(failureGroups.errorShape, key.errorShape),
        ),
      );
    return existing.id;
  }
}

function letterColumns(collected: CollectedDeadLetter) {
  const { replayId: _replayId, deliveryKey: _deliveryKey, ...columns } = collected;
  return columns;
}

function whereOf(filter: DeadLetterFilter): SQL | undefined {
  return and(
    filter.service ? eq(deadLetters.service, filter.service) : undefined,
    filter.eventType ? eq(deadLetters.eventType, filter.eventType) : undefined,
    filter.reason ? eq(deadLetters.reason, filter.reason) : undefined,
    filter.status ? eq(deadLetters.status, filter.status) : undefined,
    filter.groupId ? eq(deadLetters.groupId, filter.groupId) : undefined,
    filter.from ? gte(deadLetters.deadLetteredAt, filter.from) : undefined,
    filter.to ? lte(deadLetters.deadLetteredAt, filter.to) : undefined,
    // The GIN index on the generated tsvector answers this; no table scan.
    filter.q
      ? sql`${deadLetters.search} @@ websearch_to_tsquery('simple', ${filter.q})`
      : undefined,
  );
}
