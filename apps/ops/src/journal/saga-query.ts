import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@shop/persistence';
import { SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import { sql } from 'drizzle-orm';
import { buildTimeline, JournalEvent, SagaDeadLetter, TimelineItem } from './timeline';

export type SagaKey =
  | { by: 'orderId'; value: string }
  | { by: 'correlationId'; value: string }
  | { by: 'eventId'; value: string };

/** Enough for any saga; a flood of events under one id is cut here rather than in memory. */
const MAX_SAGA_EVENTS = 1_000;

/** One saga from the journal and the dead letters: `GET /api/messages`. */
@Injectable()
export class SagaQuery {
  private deadLettersMigrated = false;

  constructor(private readonly database: DatabaseService) {}

  async timeline(key: SagaKey): Promise<TimelineItem[]> {
    const correlationIds = await this.correlationIdsOf(key);
    const events = await this.events(key, correlationIds);
    const deadLetters = await this.deadLetters(key, correlationIds);
    return buildTimeline(events, deadLetters, SHOP_SUBSCRIPTIONS);
  }

  /** A saga is its correlationId; an order or an event leads to it. */
  private async correlationIdsOf(key: SagaKey): Promise<string[]> {
    if (key.by === 'correlationId') return [key.value];
    const column = key.by === 'orderId' ? sql`order_id` : sql`event_id`;
    const rows = await this.database.db.execute<{ correlation_id: string }>(sql`
      SELECT DISTINCT correlation_id FROM journal_events
      WHERE ${column} = ${key.value} AND correlation_id IS NOT NULL`);
    return rows.rows.map((row) => row.correlation_id);
  }

  private async events(key: SagaKey, correlationIds: string[]): Promise<JournalEvent[]> {
    const orderMatch = key.by === 'orderId' ? sql`OR order_id = ${key.value}` : sql``;
    const eventMatch = key.by === 'eventId' ? sql`OR event_id = ${key.value}` : sql``;
    const rows = await this.database.db.execute<Record<string, unknown>>(sql`
      SELECT event_id, event_type, source, routing_key, occurred_at, received_at, correlation_id,
             causation_id, order_id, envelope->'data' AS data, invalid_reason, raw
      FROM journal_events
      WHERE correlation_id IN (${anyOf(correlationIds)}) ${orderMatch} ${eventMatch}
      ORDER BY received_at, id
      LIMIT ${MAX_SAGA_EVENTS}`);
    return rows.rows.map((row) => ({
      eventId: row['event_id'] as string | null,
      eventType: row['event_type'] as string | null,
      source: row['source'] as string | null,
      routingKey: row['routing_key'] as string,
      timestamp: iso(row['occurred_at']),
      receivedAt: iso(row['received_at']) as string,
      correlationId: row['correlation_id'] as string | null,
      causationId: row['causation_id'] as string | null,
      orderId: row['order_id'] as string | null,
      // An invalid message shows its raw text: the analyst needs to see what arrived.
      data: row['invalid_reason'] ? row['raw'] : row['data'],
      invalidReason: row['invalid_reason'] as string | null,
    }));
  }

  /** C1's dead letters of the saga (apps/ops/src/dead-letters), read-only. */
  private async deadLetters(key: SagaKey, correlationIds: string[]): Promise<SagaDeadLetter[]> {
    if (!(await this.hasDeadLetters())) return [];
    const orderMatch = key.by === 'orderId' ? sql`OR order_id = ${key.value}` : sql``;
    const eventMatch = key.by === 'eventId' ? sql`OR event_id = ${key.value}` : sql``;
    const rows = await this.database.db.execute<Record<string, unknown>>(sql`
      SELECT id, service, status, reason, event_id, error_message, dead_lettered_at
      FROM dead_letters
      WHERE correlation_id IN (${anyOf(correlationIds)}) ${orderMatch} ${eventMatch}
      ORDER BY dead_lettered_at
      LIMIT ${MAX_SAGA_EVENTS}`);
    return rows.rows.map((row) => ({
      id: row['id'] as string,
      service: row['service'] as string,
      status: row['status'] as string,
      reason: row['reason'] as string,
      eventId: row['event_id'] as string | null,
      errorMessage: row['error_message'] as string,
      deadLetteredAt: iso(row['dead_lettered_at']) as string,
    }));
  }

  /** Until the dead-letter collector's migration is merged in (h9-dlq), the timeline has none. */
  private async hasDeadLetters(): Promise<boolean> {
    if (this.deadLettersMigrated) return true;
    const result = await this.database.db.execute<{ present: boolean }>(
      sql`SELECT to_regclass('dead_letters') IS NOT NULL AS present`,
    );
    this.deadLettersMigrated = result.rows[0]?.present === true;
    return this.deadLettersMigrated;
  }
}

/** A list as one parameter (an empty one matches nothing). */
function anyOf(values: string[]) {
  return sql`SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)`;
}

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string).toISOString();
}
