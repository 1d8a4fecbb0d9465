import { Pool } from 'pg';

export interface PoolSettings {
  url: string;
  max: number;
  /** A caller starved of connections fails (and is retried) instead of hanging forever. */
  connectionTimeoutMs?: number;
  /** Told about connections the server dropped (a restart, an administrator). */
  onConnectionLost: (error: Error) => void;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * A pg pool that survives the server going away. pg emits 'error' on a connection the server
 * terminates; with no listener that error kills the process. The pool listens on idle
 * connections only, so every connection also gets a listener of its own for the moments it is
 * checked out between two queries (inside a transaction, say). The query in progress fails
 * normally, the broken connection is discarded on release, and the caller's retry gets a new one.
 */
export function createPool({
  url,
  max,
  connectionTimeoutMs,
  onConnectionLost,
}: PoolSettings): Pool {
  const pool = new Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
  });
  pool.on('error', onConnectionLost);
  pool.on('connect', (client) => client.on('error', onConnectionLost));
  return pool;
}
