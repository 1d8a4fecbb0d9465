import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { accountOf, databaseOf } from './service-account';

export interface DatabaseProvisioning {
  /** A superuser's (or a role with CREATEROLE and CREATEDB) URL. */
  adminUrl: string;
  service: string;
  /** The URL the service will use: its role, password and database. */
  url: string;
  log: (line: string) => void;
}

/** Objects a service's migrations create, which its role must own to migrate them again. */
const OWNED_SCHEMAS = ['public', 'drizzle'];

/**
 * The database half of the one-shot setup step: a login role for the service that owns its
 * database and nothing else (no superuser, no CREATEDB, no CREATEROLE), and a database nobody
 * else may connect to. Objects created earlier by another role (a database made before roles
 * existed) are handed over to the service's role. Idempotent.
 */
export async function provisionDatabase(options: DatabaseProvisioning): Promise<void> {
  const account = accountOf(options.service, options.url);
  const database = databaseOf(options.url);
  const role = escapeIdentifier(account.username);
  const db = escapeIdentifier(database);
  const admin = new Client({ connectionString: options.adminUrl });
  await admin.connect();
  try {
    const adminRole = (await admin.query<{ role: string }>('SELECT current_user AS role')).rows[0]
      .role;
    if (account.username === adminRole) {
      throw new Error(
        `${options.service} would connect to PostgreSQL as ${adminRole}, the administrator: give it a role of its own (e.g. postgres://${options.service}:<password>@host/${database})`,
      );
    }
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      account.username,
    ]);
    if (!exists.rowCount) await admin.query(`CREATE ROLE ${role}`);
    await admin.query(
      `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${
        account.password ? escapeLiteral(account.password) : 'NULL'
      }`,
    );
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE ${db} OWNER ${role}`);
    else await admin.query(`ALTER DATABASE ${db} OWNER TO ${role}`);
    // By default every role may connect to every database: not to this one.
    await admin.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${role}`);
  } finally {
    await admin.end();
  }
  const handedOver = await handOverObjects(options.adminUrl, database, account.username);
  options.log(
    `database ${database}: owned by role ${account.username}, closed to other roles${
      handedOver > 0 ? `; ${handedOver} object(s) handed over to ${account.username}` : ''
    }`,
  );
}

/** Makes the service's role the owner of the tables, sequences, views and types of its schemas. */
async function handOverObjects(adminUrl: string, database: string, owner: string): Promise<number> {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const role = escapeIdentifier(owner);
    const objects = await client.query<{ kind: string; name: string }>(
      `SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind,
              format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
          AND pg_get_userbyid(c.relowner) <> $2
          -- a sequence owned by a column follows its table
          AND NOT (c.relkind = 'S' AND EXISTS (
                SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
       UNION ALL
       SELECT 'TYPE', format('%I.%I', n.nspname, t.typname)
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = ANY($1) AND t.typtype IN ('e', 'd')
          AND pg_get_userbyid(t.typowner) <> $2
       UNION ALL
       SELECT 'SCHEMA', format('%I', n.nspname)
         FROM pg_namespace n
        WHERE n.nspname = ANY($1) AND n.nspname <> 'public'
          AND pg_get_userbyid(n.nspowner) <> $2`,
      [OWNED_SCHEMAS, owner],
    );
    for (const object of objects.rows) {
      await client.query(`ALTER ${object.kind} ${object.name} OWNER TO ${role}`);
    }
    return objects.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
