import { CancellationReason } from '@shop/contracts';
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ReservationStatus } from './reservation-status';

/**
 * Inventory's record of every order it has heard of, one row per order whichever event came
 * first: a reservation, a rejection, or a cancellation tombstone (see reservation-status.ts).
 */
export const reservations = pgTable('reservations', {
  orderId: uuid('order_id').primaryKey(),
  /** RESERVED, COMMITTED, RELEASED, REJECTED, CANCELLED (tombstone) or SKIPPED. */
  status: text('status').$type<ReservationStatus>().notNull(),
  /** Null for a tombstone: the order's OrderPlaced has not arrived yet. */
  orderPlacedEventId: uuid('order_placed_event_id'),
  /** Set when an OrderCancelled was handled (FRAUD, PAYMENT_DECLINED, OUT_OF_STOCK, TIMEOUT). */
  cancelReason: text('cancel_reason').$type<CancellationReason>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What the order asked for, one row per sku. Held from stock while the reservation is
 * RESERVED or COMMITTED; a release puts exactly these quantities back.
 */
export const reservationItems = pgTable(
  'reservation_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => reservations.orderId),
    // No foreign key to products: a rejected order may name a sku inventory never had.
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.sku] })],
);

export type ReservationRow = typeof reservations.$inferSelect;
export type ReservationItemRow = typeof reservationItems.$inferSelect;
