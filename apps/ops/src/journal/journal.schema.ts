import { bigserial, index, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * Every message seen on `shop.events` (queue `ops.journal`), valid or not. Ids are text, not
 * uuid: an invalid message is stored as it came, whatever it claims. Pruned after
 * OPS_JOURNAL_RETENTION_DAYS; dead letters live in their own tables and are never pruned.
 */
export const journalEvents = pgTable(
  'journal_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    routingKey: text('routing_key').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    eventId: text('event_id'),
    eventType: text('event_type'),
    source: text('source'),
    correlationId: text('correlation_id'),
    causationId: text('causation_id'),
    orderId: text('order_id'),
    /** The envelope's own `timestamp`, when valid. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    envelope: jsonb('envelope'),
    /** The bytes as UTF-8, only for a message that is not a valid envelope. */
    raw: text('raw'),
    /** Why it is not a valid envelope; null when it is. */
    invalidReason: text('invalid_reason'),
  },
  (table) => [
    // A redelivered event is stored once.
    unique('journal_events_event_routing_key_unique').on(table.eventId, table.routingKey),
    index('journal_events_order_id_idx').on(table.orderId),
    index('journal_events_correlation_id_idx').on(table.correlationId),
    index('journal_events_causation_id_idx').on(table.causationId),
    index('journal_events_received_at_idx').on(table.receivedAt),
  ],
);

export type JournalEventRow = typeof journalEvents.$inferSelect;
export type NewJournalEvent = typeof journalEvents.$inferInsert;
