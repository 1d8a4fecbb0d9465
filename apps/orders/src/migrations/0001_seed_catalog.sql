-- The demo catalog (README, "Seed data"). Inventory seeds the same skus with their stock.
INSERT INTO "products" ("sku", "name", "price_cents", "currency") VALUES
  ('SKU-0001', 'Espresso beans, 1 kg', 1299, 'EUR'),
  ('SKU-0002', 'Hand grinder', 2499, 'EUR'),
  ('SKU-0003', 'Pour-over kettle', 4999, 'EUR'),
  ('SKU-0004', 'Espresso machine', 9999, 'EUR'),
  ('SKU-0005', 'Barista course', 19999, 'EUR'),
  ('SKU-SOLDOUT', 'Limited edition mug', 999, 'EUR')
ON CONFLICT ("sku") DO NOTHING;
