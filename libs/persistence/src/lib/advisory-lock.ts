import { sql } from 'drizzle-orm';
import { Executor } from './database.types';

/**
 * Serialises transactions that work on the same thing (one order, say) until they commit.
 * The two-key form keeps `scope` apart from other advisory locks, such as the migrations' lock.
 */
export async function lockUntilCommit(tx: Executor, scope: string, key: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${scope}), hashtext(${key}))`);
}
