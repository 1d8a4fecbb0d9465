import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@shop/contracts';
import { Executor } from '@shop/persistence';
import { serializeTraceContext } from '@shop/tracing';
import { sql } from 'drizzle-orm';
import { OUTBOX_CHANNEL } from './messaging.options';
import { outbox } from './messaging.schema';

/**
 * Writes events to publish, inside the caller's transaction: they exist if and only if the
 * business change committed. Services never publish directly.
 */
@Injectable()
export class Outbox {
  async add(tx: Executor, ...events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    // The request or message being handled now: the relay publishes these rows inside it
    // later, so the trace goes on across the outbox (docs/architecture.md, "Tracing").
    const traceContext = serializeTraceContext();
    const rows = sql.join(
      events.map(
        (event) =>
          sql`(${event.eventId}, ${event.eventType}, ${JSON.stringify(event)}::jsonb, ${traceContext})`,
      ),
      sql`, `,
    );
    // One round trip. The NOTIFY is delivered by PostgreSQL only when the transaction commits:
    // the relay wakes exactly when the rows become visible.
    await tx.execute(sql`
      WITH written AS (
        INSERT INTO ${outbox} (event_id, event_type, envelope, trace_context) VALUES ${rows} RETURNING 1)
      SELECT pg_notify(${OUTBOX_CHANNEL}, '') FROM (SELECT 1 FROM written LIMIT 1) AS any_row`);
  }
}
