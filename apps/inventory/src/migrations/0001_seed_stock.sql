-- The demo stock (README, "Seed data"): the skus and names of orders' catalog, with ample
-- stock for benchmark runs, and one sold-out sku for the out-of-stock path.
-- To put the stock back later, see apps/inventory/seed/reseed-stock.sql.
INSERT INTO "products" ("sku", "name", "stock") VALUES
  ('SKU-0001', 'Espresso beans, 1 kg', 1000000),
  ('SKU-0002', 'Hand grinder', 1000000),
  ('SKU-0003', 'Pour-over kettle', 1000000),
  ('SKU-0004', 'Espresso machine', 1000000),
  ('SKU-0005', 'Barista course', 1000000),
  ('SKU-SOLDOUT', 'Limited edition mug', 0)
ON CONFLICT ("sku") DO NOTHING;
