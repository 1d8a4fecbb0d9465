import { integer, pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';

export const INVOICE_STATUSES = ['ISSUED', 'PAID', 'PAYMENT_DECLINED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    /** Idempotent billing: one invoice per OrderPlaced event, whatever happens upstream. */
    orderPlacedEventId: uuid('order_placed_event_id').notNull().unique(),
    customerId: text('customer_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    /** ISSUED, then PAID or PAYMENT_DECLINED. */
    status: text('status').$type<InvoiceStatus>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('invoices_order_id_idx').on(table.orderId)],
);

export type Invoice = typeof invoices.$inferSelect;
