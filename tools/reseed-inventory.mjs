#!/usr/bin/env node
// Puts inventory's demo stock back to its seed levels (apps/inventory/seed/reseed-stock.sql),
// e.g. after a benchmark drained it. Usage:
//   node tools/reseed-inventory.mjs
//   DATABASE_URL=postgres://postgres@db:5432/inventory node tools/reseed-inventory.mjs
// Plain Node and `pg` on purpose: it runs without a build, beside a running inventory.
import { readFile } from 'node:fs/promises';
import pg from 'pg';

const DEFAULT_DATABASE_URL = 'postgres://postgres@localhost:5432/inventory';
const SEED_FILE = new URL('../apps/inventory/seed/reseed-stock.sql', import.meta.url);

async function main() {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const sql = await readFile(SEED_FILE, 'utf8');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // One transaction, rows locked in sku order like inventory's own writers: the "before"
    // column is exactly what the reseed replaced.
    await client.query('BEGIN');
    const before = await client.query('SELECT sku, stock FROM products ORDER BY sku FOR UPDATE');
    const { rows } = await client.query(sql);
    await client.query('COMMIT');
    const previous = new Map(before.rows.map((row) => [row.sku, row.stock]));
    console.log(`re-seeded ${rows.length} products in ${redact(databaseUrl)}:`);
    console.table(
      rows.map((row) => ({
        sku: row.sku,
        name: row.name,
        before: previous.get(row.sku) ?? '(new)',
        after: row.stock,
      })),
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Never print a password that DATABASE_URL may carry. */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

main().catch((error) => {
  const hint =
    error.code === '42P01'
      ? ' (no products table: start inventory once so it migrates its database)'
      : '';
  console.error(`reseed failed: ${error.message}${hint}`);
  process.exitCode = 1;
});
