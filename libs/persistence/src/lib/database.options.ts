export interface DatabaseOptions {
  /** postgres://user@host:port/<database>; the database is created if it does not exist. */
  url: string;
  poolSize: number;
  /** drizzle-kit output folder of the service; applied on start-up. */
  migrationsFolder: string;
  /** How long start-up keeps retrying an unreachable server before giving up. */
  startupTimeoutMs?: number;
}

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');
export const DATABASE = Symbol('DATABASE');
