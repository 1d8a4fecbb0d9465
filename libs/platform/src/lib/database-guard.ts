import { DatabaseService, isConnectionError } from '@shop/persistence';
import type { DependencyGuard } from '@shop/rmq';
import { withTimeout } from './with-timeout';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * The consumer's view of the service's database: a handler that failed because PostgreSQL is
 * unreachable is put back without counting an attempt, and consuming resumes when a
 * `select 1` answers again. This is where `libs/rmq` meets PostgreSQL without knowing it.
 */
export function databaseGuard(database: DatabaseService): DependencyGuard {
  return {
    name: 'database',
    isOutage: isConnectionError,
    probe: () => withTimeout(database.ping(), PROBE_TIMEOUT_MS),
  };
}
