// Kept free of workspace imports so drizzle-kit can read it when it generates migrations.
import { index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const RETRY_JOB_STATUSES = ['running', 'finished', 'failed'] as const;
export type RetryJobStatus = (typeof RETRY_JOB_STATUSES)[number];

/**
 * A bulk retry: the dead letters chosen when it was asked for, sent at a steady rate. Progress
 * is committed after every send, so a restarted (or another) ops instance resumes where it was.
 */
export const retryJobs = pgTable(
  'retry_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status').$type<RetryJobStatus>().notNull().default('running'),
    deadLetterIds: uuid('dead_letter_ids').array().notNull(),
    /** Index in `deadLetterIds` of the next one to send. */
    nextIndex: integer('next_index').notNull().default(0),
    total: integer('total').notNull(),
    sent: integer('sent').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    ratePerSecond: real('rate_per_second').notNull(),
    selection: jsonb('selection').$type<Record<string, unknown>>().notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** The ops instance working on it, until `leaseUntil`; then any instance may take it over. */
    claimedBy: text('claimed_by'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
  },
  (table) => [index('retry_jobs_status_idx').on(table.status, table.createdAt)],
);

export type RetryJobRow = typeof retryJobs.$inferSelect;
