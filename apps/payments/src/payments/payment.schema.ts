import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const PAYMENT_STATUSES = ['CAPTURED', 'DECLINED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    /** One payment per invoice; the invoice is also the gateway's idempotency key. */
    invoiceId: uuid('invoice_id').notNull().unique(),
    customerId: text('customer_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    /** CAPTURED or DECLINED, then REFUNDED if a captured order is cancelled. */
    status: text('status').$type<PaymentStatus>().notNull(),
    /** The gateway's charge id, declined charges included. */
    gatewayReference: text('gateway_reference').notNull(),
    refundReference: text('refund_reference'),
    declineReason: text('decline_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('payments_order_id_idx').on(table.orderId)],
);

/**
 * Tombstones: every order payments has seen cancelled. A PaymentRequested that arrives after
 * the cancellation (it can overtake billing's request) finds the row and charges nothing.
 */
export const orderCancellations = pgTable('order_cancellations', {
  orderId: uuid('order_id').primaryKey(),
  reason: text('reason').notNull(),
  orderCancelledEventId: uuid('order_cancelled_event_id').notNull(),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }).notNull().defaultNow(),
  /** A payment request that came too late and was not charged, kept as evidence. */
  skippedInvoiceId: uuid('skipped_invoice_id'),
  skippedAt: timestamp('skipped_at', { withTimezone: true }),
});

export type Payment = typeof payments.$inferSelect;
