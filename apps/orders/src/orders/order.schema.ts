import { CancellationReason } from '@shop/contracts';
import {
  bigserial,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { BillingOutcome, OrderStatus, StockOutcome } from './order-status';

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    /** PENDING, then CONFIRMED or CANCELLED (terminal). */
    status: text('status').$type<OrderStatus>().notNull(),
    cancelReason: text('cancel_reason').$type<CancellationReason>(),
    /** Billing's outcome (OrderProcessed status), whenever it arrives. */
    billingOutcome: text('billing_outcome').$type<BillingOutcome>(),
    /** Inventory's outcome (RESERVED or REJECTED), whenever it arrives. */
    stockOutcome: text('stock_outcome').$type<StockOutcome>(),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull(),
    /** Client-chosen key: a retried POST returns the first order instead of placing another. */
    idempotencyKey: text('idempotency_key').unique(),
    /** Hash of the request the key was first used with; another body with the same key is refused. */
    requestFingerprint: text('request_fingerprint'),
    correlationId: uuid('correlation_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('orders_status_created_idx').on(table.status, table.createdAt),
    index('orders_customer_created_idx').on(table.customerId, table.createdAt),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.sku] })],
);

/** Every event that touched an order, with the status it left the order in. */
export const orderHistory = pgTable(
  'order_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    /** The event type behind the step (OrderPlaced, OrderProcessed, ...), or DeadlinePassed. */
    step: text('step').notNull(),
    status: text('status').$type<OrderStatus>().notNull(),
    detail: text('detail'),
    /** The event behind the step; null for a step no event caused (the saga's deadline). */
    eventId: uuid('event_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('order_history_order_idx').on(table.orderId, table.id)],
);

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type OrderHistoryRow = typeof orderHistory.$inferSelect;
