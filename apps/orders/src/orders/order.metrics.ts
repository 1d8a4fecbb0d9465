import { Inject, Injectable } from '@nestjs/common';
import { CancellationReason } from '@shop/contracts';
import { DATABASE, Database } from '@shop/persistence';
import { count, eq } from 'drizzle-orm';
import { Counter, Gauge } from 'prom-client';
import { orders } from './order.schema';

// How orders end, for the shop dashboard. The orders table is the record; these are rates.

export const ordersPlaced = new Counter({
  name: 'shop_orders_placed_total',
  help: 'Orders accepted by POST /orders (idempotent replays not counted), counted after commit',
});

/**
 * Counted when a handler's writes for the decision are done. A commit that fails after that
 * (the database lost at that instant) is retried and counted again: rare, and only a rate.
 */
export const ordersConfirmed = new Counter({
  name: 'shop_orders_confirmed_total',
  help: 'Orders that reached CONFIRMED',
});

export const ordersCancelled = new Counter({
  name: 'shop_orders_cancelled_total',
  help: 'Orders that reached CANCELLED, by reason (counted like shop_orders_confirmed_total)',
  labelNames: ['reason'],
});
// Every reason exists from start-up, at zero: a dashboard or alert sees "none yet", not "no data".
for (const reason of CancellationReason.options) ordersCancelled.inc({ reason }, 0);

/** Counts PENDING orders on each scrape; installed by PendingOrdersProbe once there is a database. */
let countPending: (() => Promise<number>) | undefined;

export const ordersPending = new Gauge({
  name: 'shop_orders_pending',
  help: 'Orders waiting for billing and inventory (the saga deadline cancels the old ones)',
  async collect() {
    try {
      if (countPending) this.set(await countPending());
    } catch {
      // Database away: keep the last value rather than failing the whole scrape.
    }
  },
});

/** Gives the pending-orders gauge its query, through the status index. */
@Injectable()
export class PendingOrdersProbe {
  constructor(@Inject(DATABASE) db: Database) {
    countPending = async () => {
      const [row] = await db
        .select({ pending: count() })
        .from(orders)
        .where(eq(orders.status, 'PENDING'));
      return row.pending;
    };
  }
}
