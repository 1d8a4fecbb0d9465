import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * One row per dead letter stored, written in the collector's transaction, waiting to be counted
 * into its group's next message. Insert-only, so concurrent collectors never wait on each other;
 * the sender deletes a group's rows in the statement that counts them.
 */
export const pendingDeadLetterNotices = pgTable(
  'notification_dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    groupId: uuid('group_id').notNull(),
    groupTitle: text('group_title').notNull(),
    service: text('service').notNull(),
    eventType: text('event_type'),
    reason: text('reason').notNull(),
    /** When the service dead-lettered it (the message says first/last). */
    deadLetteredAt: timestamp('dead_lettered_at', { withTimezone: true }).notNull(),
    /** When ops stored it: a group's window opens at its oldest pending row. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('notification_dead_letters_group_idx').on(table.groupId)],
);

export const NOTIFICATION_KINDS = ['dead-letters', 'business-rule', 'alert'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationStatus = 'pending' | 'sent' | 'failed';

/** The webhook's outbox: one row per message, sent and retried by NotificationSender. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<NotificationKind>().notNull(),
    /** Set for a message that must exist once (a business-rule firing); null otherwise. */
    dedupeKey: text('dedupe_key').unique('notifications_dedupe_key_unique'),
    /** The JSON body POSTed to OPS_WEBHOOK_URL, as it will be sent. */
    message: jsonb('message').$type<WebhookMessage>().notNull(),
    status: text('status').$type<NotificationStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [index('notifications_due_idx').on(table.status, table.nextAttemptAt)],
);

/** Whether a threshold rule is firing now: it notifies when that changes, not on every check. */
export const notificationRuleStates = pgTable('notification_rule_states', {
  rule: text('rule').primaryKey(),
  firing: boolean('firing').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Slack-compatible: `text` is what Slack shows; the other fields are for machines. */
export interface WebhookMessage {
  text: string;
  kind: NotificationKind;
  [field: string]: unknown;
}

export type NotificationRow = typeof notifications.$inferSelect;
