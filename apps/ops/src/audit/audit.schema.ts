// Kept free of workspace imports so drizzle-kit can read it when it generates migrations.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const AUDIT_ACTIONS = [
  'retry',
  'edit-and-retry',
  'bulk-retry',
  'archive',
  'unarchive',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did what to which dead letters, when and why: append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').$type<AuditAction>().notNull(),
    reason: text('reason'),
    deadLetterIds: uuid('dead_letter_ids').array().notNull(),
    jobId: uuid('job_id'),
  },
  (table) => [index('audit_log_at_idx').on(table.at)],
);

export type AuditRow = typeof auditLog.$inferSelect;
