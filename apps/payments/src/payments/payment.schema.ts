import { CancellationReason } from '@shop/contracts';
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
    /** The gateway's charge id, declined charges included; null when the gateway was never asked. */
    gatewayReference: text('gateway_reference'),
    refundReference: text('refund_reference'),
    declineReason: text('decline_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('payments_order_id_idx').on(table.orderId)],
);

/**
 * Tombstones: every order payments has seen cancelled. A PaymentRequested that arrives after
 * the cancellation (it can overtake billing's request) finds the row, charges nothing and is
 * answered with PaymentDeclined, so billing can settle the invoice; if an earlier attempt of
 * that request did charge before it failed, the charge is recorded and refunded instead.
 */
export const orderCancellations = pgTable('order_cancellations', {
  orderId: uuid('order_id').primaryKey(),
  reason: text('reason').$type<CancellationReason>().notNull(),
  orderCancelledEventId: uuid('order_cancelled_event_id').notNull(),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Payment = typeof payments.$inferSelect;
