import { Client, escapeIdentifier } from 'pg';

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the database named in `url` if it is missing, connecting to the server's
 * `postgres` database to do so. Safe when several instances start at once.
 */
export async function ensureDatabase(url: string): Promise<'created' | 'exists'> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${target.host}`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    await client.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
    return 'created';
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Another instance created it between our check and our CREATE.
    if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return 'exists';
    throw error;
  } finally {
    await client.end();
  }
}
