import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text } from 'drizzle-orm/pg-core';

/** What inventory holds, per sku; seeded by a migration (see seed/reseed-stock.sql to re-seed). */
export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    /** Units free to reserve; reservations take from it, releases put back. */
    stock: integer('stock').notNull(),
  },
  // Safety net behind the row locks: a bug can fail a transaction, never oversell.
  (table) => [check('products_stock_not_negative', sql`${table.stock} >= 0`)],
);

export type Product = typeof products.$inferSelect;
