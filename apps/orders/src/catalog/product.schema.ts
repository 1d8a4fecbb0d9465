import { integer, pgTable, text } from 'drizzle-orm/pg-core';

/** What can be ordered and at what price; seeded by a migration (see README, "Seed data"). */
export const products = pgTable('products', {
  sku: text('sku').primaryKey(),
  name: text('name').notNull(),
  priceCents: integer('price_cents').notNull(),
  currency: text('currency').notNull(),
});

export type Product = typeof products.$inferSelect;
