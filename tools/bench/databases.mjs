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

/** How many more connections the server would accept now (other users' included). */
export async function freeConnections(adminUrl) {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int AS reserved,
              (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`,
    );
    const { max, reserved, used } = rows[0];
    return { max, used, free: max - reserved - used };
  });
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
