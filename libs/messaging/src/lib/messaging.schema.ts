// Tables every service has. Kept free of workspace imports so drizzle-kit can read it
// when it generates each service's migrations.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** One row per event a consumer has handled: a second delivery of the same eventId finds it. */
export const inbox = pgTable(
  'inbox',
  {
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.consumer, table.eventId] }),
    // The pruner finds rows past the retention window without reading the whole table.
    index('inbox_handled_at_idx').on(table.handledAt),
  ],
);

/** Events written in the business transaction, published afterwards by the relay. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    eventType: text('event_type').notNull(),
    envelope: jsonb('envelope').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /**
     * The W3C trace context (a JSON carrier) active when the row was written: the relay
     * publishes inside it, so the trace goes on across the gap the outbox makes.
     */
    traceContext: text('trace_context'),
  },
  (table) => [
    index('outbox_pending_idx')
      .on(table.id)
      .where(sql`${table.publishedAt} IS NULL`),
    index('outbox_published_at_idx')
      .on(table.publishedAt)
      .where(sql`${table.publishedAt} IS NOT NULL`),
  ],
);
