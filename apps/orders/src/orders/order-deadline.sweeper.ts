import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DATABASE, Database, PeriodicTask } from '@shop/persistence';
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import {
  deadlineSweepIntervalMs,
  orderDeadlineConfig,
  OrderDeadlineConfig,
} from './order-deadline.config';
import { OrderOutcomesService } from './order-outcomes.service';
import { orders } from './order.schema';

/** Orders cancelled per transaction: short transactions, short row locks. */
const BATCH_SIZE = 20;

/**
 * The saga's deadline: every few seconds, PENDING orders older than ORDER_TIMEOUT_MS are
 * cancelled with TIMEOUT, so an event that was lost, dead-lettered or never routed cannot
 * strand an order. Orders are claimed with `FOR UPDATE SKIP LOCKED`: several instances sweep
 * side by side without taking the same order, and an order whose outcome a handler is
 * applying right now is left for the next sweep (by then it is usually terminal).
 */
@Injectable()
export class OrderDeadlineSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OrderDeadlineSweeper.name);
  private readonly task: PeriodicTask<number>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(orderDeadlineConfig.KEY) private readonly config: OrderDeadlineConfig,
    private readonly outcomes: OrderOutcomesService,
  ) {
    this.task = new PeriodicTask({
      name: 'deadline sweep',
      intervalMs: deadlineSweepIntervalMs(config.ORDER_TIMEOUT_MS),
      run: (isStopping) => this.sweep(isStopping),
      onSuccess: (cancelled) => {
        if (cancelled > 0) {
          this.log.warn(
            `${cancelled} order(s) still PENDING after ${config.ORDER_TIMEOUT_MS} ms cancelled (TIMEOUT)`,
          );
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Runs before the outbox relay's final flush, so the cancellations of a last sweep go out. */
  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Cancels every expired order, batch by batch; returns how many it cancelled. */
  async sweep(isStopping: () => boolean = () => false): Promise<number> {
    let cancelled = 0;
    for (;;) {
      const batch = await this.cancelExpiredBatch();
      cancelled += batch;
      if (batch < BATCH_SIZE || isStopping()) return cancelled;
    }
  }

  private cancelExpiredBatch(): Promise<number> {
    const timeoutMs = this.config.ORDER_TIMEOUT_MS;
    return this.db.transaction(async (tx) => {
      const expired = await tx
        .select()
        .from(orders)
        .where(
          and(
            eq(orders.status, 'PENDING'),
            lt(orders.createdAt, sql`now() - make_interval(secs => ${timeoutMs / 1000})`),
          ),
        )
        .orderBy(asc(orders.createdAt))
        .limit(BATCH_SIZE)
        .for('update', { skipLocked: true });
      for (const order of expired) await this.outcomes.recordDeadline(tx, order, timeoutMs);
      return expired.length;
    });
  }
}
