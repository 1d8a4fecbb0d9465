import { Client, escapeIdentifier } from 'pg';
import { testEnv, uniqueSuffix } from './test-env';

export interface IsolatedDatabase {
  name: string;
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

/**
 * A database name nobody else uses. It is not created here: services create their own
 * database on start-up, which this exercises too.
 */
export function isolatedDatabaseUrl(label: string): { name: string; url: string } {
  const name = `test_${label}_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const url = new URL(testEnv.postgresUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export function isolatedDatabase(label: string): IsolatedDatabase {
  const { name, url } = isolatedDatabaseUrl(label);
  let client: Client | undefined;
  return {
    name,
    url,
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      if (!client) {
        client = new Client({ connectionString: url });
        client.on('error', () => (client = undefined));
        await client.connect();
      }
      return (await client.query(sql, params)).rows as T[];
    },
    async dispose() {
      await client?.end().catch(() => undefined);
      const admin = new Client({ connectionString: testEnv.postgresUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
