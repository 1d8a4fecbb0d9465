// PostgreSQL housekeeping for the bench's own databases (bench_*); nothing else is touched.
import pg from 'pg';

/** Only names the bench owns, so a typo can never drop somebody else's database. */
function assertOwned(name) {
  if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to touch database "${name}"`);
}

async function withAdmin(adminUrl, work) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** FORCE: a previous run killed mid-way may have left connections open. */
export async function dropDatabase(adminUrl, name) {
  assertOwned(name);
  await withAdmin(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

export async function createDatabase(adminUrl, name) {
  assertOwned(name);
  await withAdmin(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`),
  );
}

export async function postgresVersion(adminUrl) {
  return withAdmin(
    adminUrl,
    async (client) => (await client.query('SELECT version()')).rows[0].version,
  );
}

/** The connection URL of another database on the same server. */
export function databaseUrl(adminUrl, name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
