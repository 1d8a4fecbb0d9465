-- Puts inventory's demo stock back to its seed levels (README, "Seed data"), e.g. after a
-- benchmark drained it. Run it with `node tools/reseed-inventory.mjs` (DATABASE_URL selects
-- the database) or `psql postgres://postgres@localhost:5432/inventory -f <this file>`.
-- Safe while inventory runs: rows are locked in sku order, as reservations lock them, so it
-- waits for handlers in flight instead of deadlocking with them.
-- Open reservations are left alone: releasing one later adds its units on top of these levels.
-- Keep in step with src/migrations/0001_seed_stock.sql.
INSERT INTO "products" ("sku", "name", "stock") VALUES
  ('SKU-0001', 'Espresso beans, 1 kg', 1000000),
  ('SKU-0002', 'Hand grinder', 1000000),
  ('SKU-0003', 'Pour-over kettle', 1000000),
  ('SKU-0004', 'Espresso machine', 1000000),
  ('SKU-0005', 'Barista course', 1000000),
  ('SKU-SOLDOUT', 'Limited edition mug', 0)
ON CONFLICT ("sku") DO UPDATE SET "stock" = EXCLUDED."stock"
RETURNING "sku", "name", "stock";
