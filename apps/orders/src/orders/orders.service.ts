import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  UnprocessableEntityException,
} from '@nestjs/common';
import { createEvent, OrderLine } from '@shop/contracts';
import { Outbox } from '@shop/messaging';
import { DATABASE, Database } from '@shop/persistence';
import { and, asc, count, desc, eq, inArray, SQL } from 'drizzle-orm';
import { createHash, randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../app/service-name';
import { CatalogService } from '../catalog/catalog.service';
import { ListOrdersQuery } from './list-orders.query';
import { ordersPlaced } from './order.metrics';
import { orderHistory, orderItems, OrderRow, orders } from './order.schema';
import { OrderPage, OrderRecord } from './order.view';
import { PlaceOrderDto } from './place-order.dto';

export interface PlaceOrderContext {
  idempotencyKey?: string;
  correlationId: string;
}

/** `total` counts at most this many orders, so a list never scans the whole table. */
export const MAX_COUNTED_ORDERS = 10_000;

@Injectable()
export class OrdersService {
  private readonly log = new Logger(OrdersService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly catalog: CatalogService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Stores the order as PENDING and its OrderPlaced event in one transaction: either both
   * exist or neither does. A repeated Idempotency-Key returns the first order.
   */
  async placeOrder(
    request: PlaceOrderDto,
    context: PlaceOrderContext,
  ): Promise<{ order: OrderRecord; replayed: boolean }> {
    const lines = await this.priceLines(request);
    const currency = lines[0].unitPrice.currency;
    const total = {
      amountCents: lines.reduce((sum, line) => sum + line.unitPrice.amountCents * line.quantity, 0),
      currency,
    };
    const orderId = randomUUID();
    const event = createEvent(
      'OrderPlaced',
      { orderId, customerId: request.customerId, items: lines, total },
      { source: SERVICE_NAME, correlationId: context.correlationId },
    );
    const fingerprint = context.idempotencyKey ? fingerprintOf(request) : null;

    const placed = await this.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(orders)
        .values({
          id: orderId,
          customerId: request.customerId,
          status: 'PENDING',
          totalCents: total.amountCents,
          currency,
          idempotencyKey: context.idempotencyKey ?? null,
          requestFingerprint: fingerprint,
          correlationId: context.correlationId,
        })
        // A concurrent request with the same key waits here for the first to commit.
        .onConflictDoNothing({ target: orders.idempotencyKey })
        .returning();
      if (!created) return null;
      const items = await tx
        .insert(orderItems)
        .values(
          lines.map((line) => ({
            orderId,
            sku: line.sku,
            quantity: line.quantity,
            unitPriceCents: line.unitPrice.amountCents,
          })),
        )
        .returning();
      const history = await tx
        .insert(orderHistory)
        .values({ orderId, step: 'OrderPlaced', status: 'PENDING', eventId: event.eventId })
        .returning();
      await this.outbox.add(tx, event);
      // The response is built from what was written: no second round trip to read it back.
      return { order: created, items, history };
    });

    if (!placed)
      return {
        order: await this.replay(context.idempotencyKey as string, fingerprint),
        replayed: true,
      };
    ordersPlaced.inc();
    this.log.log({
      msg: `order ${orderId} placed`,
      correlationId: context.correlationId,
      eventId: event.eventId,
    });
    return { order: placed, replayed: false };
  }

  async getOrder(orderId: string): Promise<OrderRecord | null> {
    const [order] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    return order ? this.withHistory(order) : null;
  }

  async listOrders(query: ListOrdersQuery): Promise<OrderPage> {
    const filters: SQL[] = [];
    if (query.status) filters.push(eq(orders.status, query.status));
    if (query.customerId) filters.push(eq(orders.customerId, query.customerId));
    const where = filters.length ? and(...filters) : undefined;
    const [page, counted] = await Promise.all([
      this.db
        .select()
        .from(orders)
        .where(where)
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(query.limit)
        .offset(query.offset),
      this.countUpTo(MAX_COUNTED_ORDERS + 1, where),
    ]);
    const items = page.length
      ? await this.db
          .select()
          .from(orderItems)
          .where(
            inArray(
              orderItems.orderId,
              page.map((order) => order.id),
            ),
          )
      : [];
    return {
      items: page.map((order: OrderRow) => ({
        order,
        items: items.filter((item) => item.orderId === order.id),
      })),
      total: Math.min(counted, MAX_COUNTED_ORDERS),
      totalIsLowerBound: counted > MAX_COUNTED_ORDERS,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** count(*) over at most `cap` matching rows: its cost is bounded however many orders exist. */
  private async countUpTo(cap: number, where: SQL | undefined): Promise<number> {
    const matching = this.db.select({ id: orders.id }).from(orders).where(where).limit(cap);
    const [{ counted }] = await this.db.select({ counted: count() }).from(matching.as('matching'));
    return counted;
  }

  /** Prices each line from the catalog; unknown or repeated skus are the caller's mistake (400). */
  private async priceLines(request: PlaceOrderDto): Promise<OrderLine[]> {
    const skus = request.items.map((item) => item.sku);
    const repeated = skus.filter((sku, index) => skus.indexOf(sku) !== index);
    if (repeated.length > 0) {
      throw new BadRequestException([
        `items: each sku may appear once; repeated: ${[...new Set(repeated)].join(', ')}`,
      ]);
    }
    const products = await this.catalog.findBySkus(skus);
    const unknown = request.items.flatMap((item, index) =>
      products.has(item.sku) ? [] : [`items.${index}.sku: unknown sku "${item.sku}"`],
    );
    if (unknown.length > 0) throw new BadRequestException(unknown);
    const lines = request.items.map((item) => {
      const product = products.get(item.sku)!;
      return {
        sku: item.sku,
        quantity: item.quantity,
        unitPrice: { amountCents: product.priceCents, currency: product.currency },
      };
    });
    if (new Set(lines.map((line) => line.unitPrice.currency)).size > 1) {
      throw new BadRequestException([
        'items: all items of an order must be priced in one currency',
      ]);
    }
    return lines;
  }

  private async replay(idempotencyKey: string, fingerprint: string | null): Promise<OrderRecord> {
    const [existing] = await this.db
      .select()
      .from(orders)
      .where(eq(orders.idempotencyKey, idempotencyKey));
    if (existing.requestFingerprint !== fingerprint) {
      throw new UnprocessableEntityException([
        'Idempotency-Key was already used with a different request body; use a new key for a new order',
      ]);
    }
    return this.withHistory(existing);
  }

  private async withHistory(order: OrderRow): Promise<OrderRecord> {
    const [items, history] = await Promise.all([
      this.db.select().from(orderItems).where(eq(orderItems.orderId, order.id)),
      this.db
        .select()
        .from(orderHistory)
        .where(eq(orderHistory.orderId, order.id))
        .orderBy(asc(orderHistory.id)),
    ]);
    return { order, items, history };
  }
}

function fingerprintOf(request: PlaceOrderDto): string {
  const canonical = {
    customerId: request.customerId,
    items: [...request.items]
      .sort((a, b) => a.sku.localeCompare(b.sku))
      .map(({ sku, quantity }) => ({ sku, quantity })),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
