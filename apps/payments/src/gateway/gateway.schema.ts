// The simulated gateway's own books. It stands in for an external provider, so these tables
// are written outside the payments transactions: a provider's state never rolls back with ours.
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export type GatewayOperationKind = 'charge' | 'refund';
export type GatewayOperationOutcome = 'captured' | 'declined' | 'refunded';

/** One row per idempotency key that completed: a second call with the key gets this answer back. */
export const gatewayOperations = pgTable('gateway_operations', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  kind: text('kind').$type<GatewayOperationKind>().notNull(),
  customerId: text('customer_id').notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: text('currency').notNull(),
  outcome: text('outcome').$type<GatewayOperationOutcome>().notNull(),
  /** The gateway's id for the operation (`ch_...` for charges, `re_...` for refunds). */
  reference: text('reference').notNull().unique(),
  /** Refunds: the charge whose money goes back. */
  chargeReference: text('charge_reference'),
  declineReason: text('decline_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every call that reached the gateway, per idempotency key, failed ones included. */
export const gatewayAttempts = pgTable('gateway_attempts', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  attempts: integer('attempts').notNull(),
  firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull().defaultNow(),
});

export type GatewayOperationRow = typeof gatewayOperations.$inferSelect;
