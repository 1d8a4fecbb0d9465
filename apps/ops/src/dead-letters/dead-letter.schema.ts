// Kept free of workspace imports so drizzle-kit can read it when it generates migrations.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const DEAD_LETTER_STATUSES = ['unresolved', 'retrying', 'resolved', 'archived'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** Errors alike, whatever their ids and numbers: the console acts on a whole group at once. */
export const failureGroups = pgTable(
  'failure_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    service: text('service').notNull(),
    /** '' when the message had no (catalog) event type. */
    eventType: text('event_type').notNull(),
    reason: text('reason').notNull(),
    errorShape: text('error_shape').notNull(),
    title: text('title').notNull(),
    // First and last seen are read from its dead letters: no row every collector must lock.
  },
  (table) => [
    uniqueIndex('failure_groups_key_idx').on(
      table.service,
      table.eventType,
      table.reason,
      table.errorShape,
    ),
  ],
);

/**
 * One row per (failing service, event): everything needed to understand and replay it.
 * Never deleted and never expired; archived at most.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    service: text('service').notNull(),
    queue: text('queue').notNull(),
    /** The eventId, else the AMQP messageId, else `sha256:<hash of service and bytes>`. */
    identity: text('identity').notNull(),
    eventId: text('event_id'),
    eventType: text('event_type'),
    correlationId: text('correlation_id'),
    causationId: text('causation_id'),
    orderId: text('order_id'),
    reason: text('reason').notNull(),
    errorMessage: text('error_message').notNull(),
    errorStack: text('error_stack'),
    attempts: integer('attempts').notNull(),
    firstFailureAt: timestamp('first_failure_at', { withTimezone: true }).notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    deadLetteredAt: timestamp('dead_lettered_at', { withTimezone: true }).notNull(),
    status: text('status').$type<DeadLetterStatus>().notNull().default('unresolved'),
    /** How often this (service, event) was dead-lettered. */
    failures: integer('failures').notNull().default(1),
    groupId: uuid('group_id')
      .notNull()
      .references(() => failureGroups.id),
    /** The exact bytes, replayed unchanged. */
    payload: bytea('payload').notNull(),
    /** The bytes as UTF-8 (invalid bytes and NULs replaced), for display and search. */
    payloadText: text('payload_text').notNull(),
    /** The parsed payload when it is JSON (and storable as jsonb). */
    payloadJson: jsonb('payload_json'),
    headers: jsonb('headers').$type<Record<string, unknown>>().notNull(),
    /** AMQP properties other than headers (messageId, type, correlationId, ...). */
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull(),
    /** The retry in flight, while `retrying`. */
    pendingReplayId: uuid('pending_replay_id'),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector('simple', coalesce(event_id, '') || ' ' || coalesce(event_type, '') || ' ' || coalesce(correlation_id, '') || ' ' || coalesce(causation_id, '') || ' ' || coalesce(order_id, '') || ' ' || error_message || ' ' || left(payload_text, 200000))`,
      ),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('dead_letters_identity_idx').on(table.service, table.identity),
    index('dead_letters_dead_lettered_at_idx').on(table.deadLetteredAt),
    index('dead_letters_status_idx').on(table.status, table.service),
    index('dead_letters_group_idx').on(table.groupId),
    index('dead_letters_correlation_idx').on(table.correlationId),
    index('dead_letters_order_idx').on(table.orderId),
    index('dead_letters_search_idx').using('gin', table.search),
    index('dead_letters_payload_idx').using('gin', sql`${table.payloadJson} jsonb_path_ops`),
    index('dead_letters_headers_idx').using('gin', sql`${table.headers} jsonb_path_ops`),
  ],
);

export const HISTORY_KINDS = [
  'dead-lettered',
  'retry-sent',
  'retry-succeeded',
  'retry-failed',
  'edited-and-retried',
  'archived',
  'unarchived',
  'resolved',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** What happened to a dead letter, in order: failures, retries, their outcomes, operator actions. */
export const deadLetterHistory = pgTable(
  'dead_letter_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deadLetterId: uuid('dead_letter_id')
      .notNull()
      .references(() => deadLetters.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').$type<HistoryKind>().notNull(),
    actor: text('actor'),
    reason: text('reason'),
    detail: text('detail'),
    replayId: uuid('replay_id'),
    jobId: uuid('job_id'),
    /**
     * For failures: the DLQ copy's `x-dead-lettered-at` and queue, so that a redelivered copy
     * (ops stopped before its ack) is recognised and not counted twice.
     */
    deliveryKey: text('delivery_key'),
  },
  (table) => [
    index('dead_letter_history_letter_idx').on(table.deadLetterId, table.id),
    uniqueIndex('dead_letter_history_delivery_idx').on(table.deadLetterId, table.deliveryKey),
    index('dead_letter_history_job_idx').on(table.jobId),
  ],
);

/** Every retry ops sent, so that an acknowledgement finds its dead letter. */
export const replays = pgTable('replays', {
  id: uuid('id').primaryKey(),
  deadLetterId: uuid('dead_letter_id')
    .notNull()
    .references(() => deadLetters.id),
  /** The eventId sent: the same one, or a new one for an edited retry. */
  eventId: text('event_id').notNull(),
  edited: integer('edited').notNull().default(0),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  outcome: text('outcome'),
  outcomeAt: timestamp('outcome_at', { withTimezone: true }),
});

export type DeadLetterRow = typeof deadLetters.$inferSelect;
export type HistoryRow = typeof deadLetterHistory.$inferSelect;
export type FailureGroupRow = typeof failureGroups.$inferSelect;
