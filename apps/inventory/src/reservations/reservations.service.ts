import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEvent, DomainEvent, SkuQuantity } from '@shop/contracts';
import { logIgnoredDuplicate, Outbox } from '@shop/messaging';
import { DATABASE, Database, Executor, serialiseOnOrder, Transaction } from '@shop/persistence';
import { NonRetryableError } from '@shop/rmq';
import { asc, eq, sql } from 'drizzle-orm';
import { SERVICE_NAME } from '../app/service-name';
import { ProductsService } from '../products/products.service';
import { reservationItems, ReservationRow, reservations } from './reservation.schema';
import { ReservationRecord } from './reservation.view';
import {
  ReservationStatus,
  stepOnOrderCancelled,
  stepOnOrderConfirmed,
  stepOnOrderPlaced,
} from './reservation-status';
import { decideReservation, mergeLines } from './stock-decision';

/**
 * Inventory's part of the saga: reserve all of an order's items or none, release them when the
 * order is cancelled, keep them when it is confirmed. Each step runs inside the inbox
 * transaction of the event that triggers it, together with the events it emits.
 */
@Injectable()
export class ReservationsService {
  private readonly log = new Logger(ReservationsService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly products: ProductsService,
    private readonly outbox: Outbox,
  ) {}

  /** OrderPlaced: reserve or reject, unless a cancellation got here first. */
  async reserveForOrder(tx: Transaction, event: DomainEvent<'OrderPlaced'>): Promise<void> {
    const { orderId } = event.data;
    await serialiseOnOrder(tx, orderId);
    const current = await this.reservationOf(tx, orderId);
    switch (stepOnOrderPlaced(current?.status ?? null)) {
      case 'reserve-or-reject':
        return this.reserveOrReject(tx, event);
      case 'skip-cancelled':
        await this.setStatus(tx, orderId, 'SKIPPED', { orderPlacedEventId: event.eventId });
        await this.recordItems(tx, orderId, mergeLines(event.data.items));
        this.log.log(
          `order ${orderId} was cancelled before it reached inventory: nothing reserved`,
        );
        return;
      case 'already-decided':
        // One decision per order, whatever the eventId.
        logIgnoredDuplicate(this.log, event, `order ${orderId} is already ${current?.status}`);
        return;
    }
  }

  /** All or nothing, on stock read under row locks: concurrent orders never oversell. */
  private async reserveOrReject(tx: Transaction, event: DomainEvent<'OrderPlaced'>): Promise<void> {
    const { orderId } = event.data;
    const lines = mergeLines(event.data.items);
    const available = await this.products.lockStock(
      tx,
      lines.map((line) => line.sku),
    );
    const decision = decideReservation(lines, available);
    const origin = { source: SERVICE_NAME, causedBy: event };
    if (decision.outcome === 'reject') {
      await this.insertReservation(tx, orderId, 'REJECTED', event.eventId, decision.items);
      await this.outbox.add(
        tx,
        createEvent('StockRejected', { orderId, missing: decision.missing }, origin),
      );
      const short = decision.missing.map(
        (line) => `${line.sku} (${line.requested} asked, ${line.available} left)`,
      );
      this.log.log(`order ${orderId} rejected, short of ${short.join(', ')}`);
      return;
    }
    await this.products.take(tx, decision.items);
    await this.insertReservation(tx, orderId, 'RESERVED', event.eventId, decision.items);
    await this.outbox.add(
      tx,
      createEvent('StockReserved', { orderId, items: decision.items }, origin),
    );
    this.log.log(`order ${orderId} reserved ${describeItems(decision.items)}`);
  }

  /** OrderCancelled: compensate a reservation, or leave a tombstone for a late OrderPlaced. */
  async releaseForOrder(tx: Transaction, event: DomainEvent<'OrderCancelled'>): Promise<void> {
    const { orderId, reason } = event.data;
    await serialiseOnOrder(tx, orderId);
    const current = await this.reservationOf(tx, orderId);
    switch (stepOnOrderCancelled(current?.status ?? null)) {
      case 'record-tombstone':
        await tx
          .insert(reservations)
          .values({ orderId, status: 'CANCELLED', cancelReason: reason });
        this.log.log(
          `order ${orderId} cancelled (${reason}) before its OrderPlaced: tombstone kept`,
        );
        return;
      case 'refuse-committed':
        this.log.warn(
          `order ${orderId} was confirmed: its cancellation (${reason}) leaves stock taken`,
        );
        return;
      case 'nothing-held':
        this.log.log(
          `order ${orderId} cancelled (${reason}): ${current?.status}, nothing to release`,
        );
        return;
      case 'release': {
        const items = await this.itemsOf(tx, orderId);
        // Locked the same way as a reservation, so a release never deadlocks with one.
        await this.products.lockStock(
          tx,
          items.map((item) => item.sku),
        );
        await this.products.putBack(tx, items);
        await this.setStatus(tx, orderId, 'RELEASED', { cancelReason: reason });
        await this.outbox.add(
          tx,
          createEvent(
            'StockReleased',
            { orderId, items },
            { source: SERVICE_NAME, causedBy: event },
          ),
        );
        this.log.log(`order ${orderId} cancelled (${reason}): released ${describeItems(items)}`);
        return;
      }
    }
  }

  /** OrderConfirmed: the reserved stock is now taken for good. */
  async commitForOrder(tx: Transaction, event: DomainEvent<'OrderConfirmed'>): Promise<void> {
    const { orderId } = event.data;
    await serialiseOnOrder(tx, orderId);
    const current = await this.reservationOf(tx, orderId);
    switch (stepOnOrderConfirmed(current?.status ?? null)) {
      case 'commit':
        await this.setStatus(tx, orderId, 'COMMITTED');
        this.log.log(`order ${orderId} confirmed: reservation committed`);
        return;
      case 'already-committed':
        logIgnoredDuplicate(this.log, event, `order ${orderId} is already COMMITTED`);
        return;
      case 'never-reserved':
        // No retry brings a reservation that was never made: park it where people look.
        throw new NonRetryableError(
          `OrderConfirmed for order ${orderId}, which inventory never reserved`,
        );
      case 'not-reserved':
        this.log.warn(`order ${orderId} confirmed but ${current?.status} here: nothing to commit`);
        return;
    }
  }

  async findByOrder(orderId: string): Promise<ReservationRecord[]> {
    const [reservation] = await this.db
      .select()
      .from(reservations)
      .where(eq(reservations.orderId, orderId));
    if (!reservation) return [];
    return [{ reservation, items: await this.itemsOf(this.db, orderId) }];
  }

  /**
   * What inventory has recorded of an order; read after `serialiseOnOrder`, so that the order's
   * OrderPlaced and OrderCancelled, handled at once by two consumers, see each other's commit.
   */
  private async reservationOf(tx: Transaction, orderId: string): Promise<ReservationRow | null> {
    const [current] = await tx.select().from(reservations).where(eq(reservations.orderId, orderId));
    return current ?? null;
  }

  private async insertReservation(
    tx: Transaction,
    orderId: string,
    status: ReservationStatus,
    orderPlacedEventId: string,
    items: SkuQuantity[],
  ): Promise<void> {
    await tx.insert(reservations).values({ orderId, status, orderPlacedEventId });
    await this.recordItems(tx, orderId, items);
  }

  private async recordItems(tx: Transaction, orderId: string, items: SkuQuantity[]): Promise<void> {
    await tx.insert(reservationItems).values(items.map((item) => ({ orderId, ...item })));
  }

  private async setStatus(
    tx: Transaction,
    orderId: string,
    status: ReservationStatus,
    changes: Partial<Pick<ReservationRow, 'orderPlacedEventId' | 'cancelReason'>> = {},
  ): Promise<void> {
    await tx
      .update(reservations)
      .set({ status, ...changes, updatedAt: sql`now()` })
      .where(eq(reservations.orderId, orderId));
  }

  private itemsOf(executor: Executor, orderId: string): Promise<SkuQuantity[]> {
    return executor
      .select({ sku: reservationItems.sku, quantity: reservationItems.quantity })
      .from(reservationItems)
      .where(eq(reservationItems.orderId, orderId))
      .orderBy(asc(reservationItems.sku));
  }
}

function describeItems(items: SkuQuantity[]): string {
  return items.map((item) => `${item.quantity} × ${item.sku}`).join(', ');
}
