import { sql } from 'drizzle-orm';
import { Executor } from './database.types';

/**
 * Makes the transactions about one order take turns until they commit, whether or not a row for
 * the order exists yet: events that overtake each other (a cancellation before its placement)
 * cannot lock a row that is not there, so they lock the order id instead. (Orders owns its order
 * rows, which exist from the start, and locks the row itself.)
 */
export async function serialiseOnOrder(tx: Executor, orderId: string): Promise<void> {
  // The two-key form keeps these locks apart from other advisory locks (the migrations' lock).
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('order'), hashtext(${orderId}))`);
}
