import { CancellationReason, createEvent, DomainEvent, SkuQuantity } from '@shop/contracts';
import { MessageHeaders } from '@shop/rmq';
import { EventSpy, FAST_RETRY_ENV, publishEvent, TestSystem, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Product, Reservation } from './support/shop-client';

const SEED: Product[] = [
  { sku: 'SKU-0001', name: 'Espresso beans, 1 kg', stock: 1_000_000 },
  { sku: 'SKU-0002', name: 'Hand grinder', stock: 1_000_000 },
  { sku: 'SKU-0003', name: 'Pour-over kettle', stock: 1_000_000 },
  { sku: 'SKU-0004', name: 'Espresso machine', stock: 1_000_000 },
  { sku: 'SKU-0005', name: 'Barista course', stock: 1_000_000 },
  { sku: 'SKU-SOLDOUT', name: 'Limited edition mug', stock: 0 },
];

/** Inventory alone, fed the events orders would publish; what it emits is read by a spy. */
describe('inventory: stock reservations driven by order events', () => {
  let system: TestSystem;
  let spy: EventSpy;

  beforeAll(async () => {
    system = await TestSystem.start('inventory', { services: ['inventory'], env: FAST_RETRY_ENV });
    spy = await EventSpy.start(system.broker.url);
  });

  afterAll(async () => {
    await spy?.stop();
    await system?.stop();
  });

  const inventory = () => system.service('inventory');
  const db = () => system.db('inventory');

  /** An OrderPlaced as orders publishes it: a new order, a new saga. */
  function orderPlaced(items: SkuQuantity[], orderId = randomUUID()): DomainEvent<'OrderPlaced'> {
    const unitPrice = { amountCents: 100, currency: 'EUR' };
    return createEvent(
      'OrderPlaced',
      {
        orderId,
        customerId: 'alice',
        items: items.map((item) => ({ ...item, unitPrice })),
        total: {
          amountCents: items.reduce((sum, item) => sum + item.quantity * 100, 0),
          currency: 'EUR',
        },
      },
      { source: 'orders', correlationId: randomUUID() },
    );
  }

  function orderCancelled(
    orderId: string,
    reason: CancellationReason = 'PAYMENT_DECLINED',
  ): DomainEvent<'OrderCancelled'> {
    return createEvent(
      'OrderCancelled',
      { orderId, reason },
      { source: 'orders', correlationId: randomUUID() },
    );
  }

  function orderConfirmed(orderId: string): DomainEvent<'OrderConfirmed'> {
    return createEvent(
      'OrderConfirmed',
      { orderId },
      { source: 'orders', correlationId: randomUUID() },
    );
  }

  const publish = (event: DomainEvent, times = 1) => publishEvent(system.broker.url, event, times);

  async function stockOf(sku: string): Promise<number> {
    const { status, body } = await inventory().get<Product>(`/products/${sku}`);
    expect(status).toBe(200);
    return body.stock;
  }

  async function stockInDatabase(sku: string): Promise<number> {
    const [row] = await db().query<{ stock: number }>('SELECT stock FROM products WHERE sku = $1', [
      sku,
    ]);
    return row.stock;
  }

  async function reservationOf(orderId: string): Promise<Reservation | undefined> {
    const { status, body } = await inventory().get<Reservation[]>(
      `/reservations?orderId=${orderId}`,
    );
    expect(status).toBe(200);
    return body[0];
  }

  function waitForStatus(orderId: string, status: string): Promise<Reservation | undefined> {
    return waitFor(
      () => reservationOf(orderId),
      (reservation) => reservation?.status === status,
      { description: `order ${orderId} to be ${status} in inventory` },
    );
  }

  /** The inbox row commits with the handler's effects: once it exists, the event was handled. */
  function waitUntilHandled(event: DomainEvent): Promise<unknown> {
    return waitFor(
      () => db().query('SELECT 1 FROM inbox WHERE event_id = $1', [event.eventId]),
      (rows) => rows.length === 1,
      { description: `inventory to handle ${event.eventType} ${event.eventId}` },
    );
  }

  const emittedFor = (orderId: string) => system.emitted('inventory', orderId);
  /** Summed over every running instance. */
  const metric = (name: string, labels: Record<string, string> = {}) =>
    system.metric('inventory', name, labels);

  /** Competing consumers on inventory.events, as when the service is scaled out. */
  async function runTwoInstances(): Promise<void> {
    const running = () => system.instances('inventory').filter((instance) => instance.running);
    while (running().length < 2) await system.startInstance('inventory');
  }

  async function waitForDuplicatesSkipped(eventType: string, count: number, before: number) {
    await waitFor(
      () => metric('shop_messages_duplicate_total', { event_type: eventType }),
      (duplicates) => duplicates === before + count,
      { description: `inventory to skip ${count} duplicate ${eventType}` },
    );
  }

  it('GET /products lists the seeded stock in sku order', async () => {
    const { status, body } = await inventory().get<Product[]>('/products');

    expect(status).toBe(200);
    expect(body).toEqual(SEED);
  });

  it('GET /products/:sku answers one product, and 404 with a clear message for an unknown sku', async () => {
    expect(await inventory().get('/products/SKU-SOLDOUT')).toEqual({
      status: 200,
      body: { sku: 'SKU-SOLDOUT', name: 'Limited edition mug', stock: 0 },
    });

    const unknown = await inventory().get<{ message: string }>('/products/SKU-9999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('unknown sku "SKU-9999"');
  });

  it('OrderPlaced reserves every item: stock goes down and StockReserved lists the items', async () => {
    const before = { one: await stockOf('SKU-0001'), three: await stockOf('SKU-0003') };
    const placed = orderPlaced([
      { sku: 'SKU-0003', quantity: 1 },
      { sku: 'SKU-0001', quantity: 2 },
    ]);

    await publish(placed);

    const [reserved] = await spy.waitFor('StockReserved', placed.data.orderId);
    expect(reserved).toMatchObject({
      source: 'inventory',
      data: {
        orderId: placed.data.orderId,
        items: [
          { sku: 'SKU-0001', quantity: 2 },
          { sku: 'SKU-0003', quantity: 1 },
        ],
      },
      metadata: { correlationId: placed.metadata.correlationId, causationId: placed.eventId },
    });
    expect(await stockOf('SKU-0001')).toBe(before.one - 2);
    expect(await stockInDatabase('SKU-0003')).toBe(before.three - 1);
    expect(await reservationOf(placed.data.orderId)).toMatchObject({
      status: 'RESERVED',
      items: reserved.data.items,
    });
  });

  it('one short item rejects the whole order: StockRejected names what is missing, no stock moves', async () => {
    const before = await stockOf('SKU-0001');
    const placed = orderPlaced([
      { sku: 'SKU-0001', quantity: 1 },
      { sku: 'SKU-SOLDOUT', quantity: 1 },
      { sku: 'SKU-NOPE', quantity: 2 },
    ]);

    await publish(placed);

    const [rejected] = await spy.waitFor('StockRejected', placed.data.orderId);
    expect(rejected.data.missing).toEqual([
      { sku: 'SKU-NOPE', requested: 2, available: 0 },
      { sku: 'SKU-SOLDOUT', requested: 1, available: 0 },
    ]);
    expect(await stockOf('SKU-0001')).toBe(before);
    expect(await stockOf('SKU-SOLDOUT')).toBe(0);
    expect((await reservationOf(placed.data.orderId))?.status).toBe('REJECTED');
    expect(spy.ofType('StockReserved', placed.data.orderId)).toEqual([]);
  });

  it('a quantity above the stock is rejected with what is available', async () => {
    const available = await stockOf('SKU-0002');
    const justAbove = orderPlaced([{ sku: 'SKU-0002', quantity: available + 1 }]);

    await publish(justAbove);

    const [rejected] = await spy.waitFor('StockRejected', justAbove.data.orderId);
    expect(rejected.data.missing).toEqual([
      { sku: 'SKU-0002', requested: available + 1, available },
    ]);
    expect(await stockOf('SKU-0002')).toBe(available);
  });

  it('OrderCancelled after a reservation puts the stock back exactly once, however often it comes', async () => {
    const before = await stockOf('SKU-0002');
    const placed = orderPlaced([{ sku: 'SKU-0002', quantity: 3 }]);
    const { orderId } = placed.data;
    await publish(placed);
    await spy.waitFor('StockReserved', orderId);
    expect(await stockOf('SKU-0002')).toBe(before - 3);
    const duplicatesBefore = await metric('shop_messages_duplicate_total', {
      event_type: 'OrderCancelled',
    });

    // The same event twice (a redelivery), then a second, distinct cancellation of the order.
    const cancelled = orderCancelled(orderId);
    await publish(cancelled, 2);
    const [released] = await spy.waitFor('StockReleased', orderId);
    await waitForDuplicatesSkipped('OrderCancelled', 1, duplicatesBefore);
    const cancelledAgain = orderCancelled(orderId);
    await publish(cancelledAgain);
    await waitUntilHandled(cancelledAgain);

    expect(released.data).toEqual({ orderId, items: [{ sku: 'SKU-0002', quantity: 3 }] });
    expect(released.metadata.causationId).toBe(cancelled.eventId);
    expect(await emittedFor(orderId)).toEqual(['StockReserved', 'StockReleased']);
    expect(await stockOf('SKU-0002')).toBe(before);
    expect(await reservationOf(orderId)).toMatchObject({
      status: 'RELEASED',
      cancelReason: 'PAYMENT_DECLINED',
    });
  });

  it('OrderConfirmed commits a reservation: the stock stays taken, even if a cancellation follows', async () => {
    const before = await stockOf('SKU-0003');
    const placed = orderPlaced([{ sku: 'SKU-0003', quantity: 4 }]);
    const { orderId } = placed.data;
    await publish(placed);
    await spy.waitFor('StockReserved', orderId);

    await publish(orderConfirmed(orderId));
    await waitForStatus(orderId, 'COMMITTED');
    const lateCancellation = orderCancelled(orderId);
    await publish(lateCancellation);
    await waitUntilHandled(lateCancellation);

    expect((await reservationOf(orderId))?.status).toBe('COMMITTED');
    expect(await stockOf('SKU-0003')).toBe(before - 4);
    expect(await emittedFor(orderId)).toEqual(['StockReserved']);
  });

  it('an OrderCancelled that overtakes its OrderPlaced leaves a tombstone: the late OrderPlaced reserves nothing', async () => {
    const before = await stockOf('SKU-0004');
    const placed = orderPlaced([{ sku: 'SKU-0004', quantity: 2 }]);
    const { orderId } = placed.data;

    await publish(orderCancelled(orderId, 'FRAUD'));
    expect(await waitForStatus(orderId, 'CANCELLED')).toMatchObject({ cancelReason: 'FRAUD' });
    await publish(placed);

    expect(await waitForStatus(orderId, 'SKIPPED')).toMatchObject({
      items: [{ sku: 'SKU-0004', quantity: 2 }],
    });
    expect(await stockOf('SKU-0004')).toBe(before);
    expect(await emittedFor(orderId)).toEqual([]);
  });

  it('the same OrderPlaced delivered twice reserves once', async () => {
    const before = await stockOf('SKU-0001');
    const placed = orderPlaced([{ sku: 'SKU-0001', quantity: 1 }]);
    const duplicatesBefore = await metric('shop_messages_duplicate_total', {
      event_type: 'OrderPlaced',
    });

    await publish(placed, 2);

    await spy.waitFor('StockReserved', placed.data.orderId);
    await waitForDuplicatesSkipped('OrderPlaced', 1, duplicatesBefore);
    expect(await emittedFor(placed.data.orderId)).toEqual(['StockReserved']);
    expect(await stockOf('SKU-0001')).toBe(before - 1);
  });

  it('an OrderConfirmed for an order inventory never reserved is dead-lettered without retry', async () => {
    const confirmed = orderConfirmed(randomUUID());

    await publish(confirmed);

    const [parked] = await waitFor(
      async () =>
        (await system.broker.admin.peek(system.broker.vhost, 'inventory.dlq')).filter(
          (message) => message.properties.message_id === confirmed.eventId,
        ),
      (messages) => messages.length === 1,
      { description: 'the OrderConfirmed in inventory.dlq' },
    );
    expect(parked.properties.headers).toMatchObject({
      [MessageHeaders.deadLetterReason]: 'non-retryable',
      [MessageHeaders.attempts]: 1,
      [MessageHeaders.service]: 'inventory',
      [MessageHeaders.errorMessage]: expect.stringContaining('never reserved'),
    });
    expect(await reservationOf(confirmed.data.orderId)).toBeUndefined();
  });

  it('two instances racing 30 orders for the last 5 units reserve exactly 5 and never oversell', async () => {
    await db().query(`UPDATE products SET stock = 5 WHERE sku = 'SKU-0005'`);
    await runTwoInstances();
    const failuresBefore = await metric('shop_messages_failed_total');
    const orders = Array.from({ length: 30 }, () =>
      orderPlaced([{ sku: 'SKU-0005', quantity: 1 }]),
    );
    const orderIds = new Set(orders.map((order) => order.data.orderId));
    const outcomes = () =>
      spy.events.filter(
        (event) =>
          (event.eventType === 'StockReserved' || event.eventType === 'StockRejected') &&
          orderIds.has((event.data as { orderId: string }).orderId),
      );

    await Promise.all(orders.map((order) => publish(order)));

    const seen = await waitFor(outcomes, (events) => events.length === 30, {
      timeoutMs: 60_000,
      description: 'an outcome for each of the 30 orders',
    });
    const reserved = seen.filter((event) => event.eventType === 'StockReserved');
    const rejected = seen.filter(
      (event): event is DomainEvent<'StockRejected'> => event.eventType === 'StockRejected',
    );
    expect(reserved).toHaveLength(5);
    expect(rejected).toHaveLength(25);
    for (const event of rejected) {
      expect(event.data.missing).toEqual([{ sku: 'SKU-0005', requested: 1, available: 0 }]);
    }
    expect(await stockOf('SKU-0005')).toBe(0);
    expect(await stockInDatabase('SKU-0005')).toBe(0);
    const [{ held }] = await db().query<{ held: number }>(
      `SELECT coalesce(sum(i.quantity), 0)::int AS held
         FROM reservation_items i JOIN reservations r USING (order_id)
        WHERE i.sku = 'SKU-0005' AND r.status = 'RESERVED'`,
    );
    expect(held).toBe(5);
    // The row locks kept stock right, not the CHECK constraint behind them: nothing failed.
    expect(await metric('shop_messages_failed_total')).toBe(failuresBefore);
  });
  it('OrderPlaced and OrderCancelled of one order racing on two instances never leak stock', async () => {
    await runTwoInstances();
    const before = await stockOf('SKU-0004');
    const failuresBefore = await metric('shop_messages_failed_total');
    const orders = Array.from({ length: 20 }, () =>
      orderPlaced([{ sku: 'SKU-0004', quantity: 1 }]),
    );
    const orderIds = orders.map((order) => order.data.orderId);

    await Promise.all(
      orders.flatMap((order) => [publish(order), publish(orderCancelled(order.data.orderId))]),
    );

    // Whichever came first, each order ends released (placed first) or skipped (cancelled first).
    const statuses = await waitFor(
      () =>
        db().query<{ order_id: string; status: string }>(
          `SELECT order_id, status FROM reservations
            WHERE order_id = ANY($1::uuid[]) AND status IN ('RELEASED', 'SKIPPED')`,
          [orderIds],
        ),
      (rows) => rows.length === orders.length,
      { timeoutMs: 60_000, description: 'all 20 orders released or skipped' },
    );
    const released = statuses.filter((row) => row.status === 'RELEASED').map((row) => row.order_id);
    const [{ count }] = await db().query<{ count: number }>(
      `SELECT count(*)::int AS count FROM outbox
        WHERE event_type = 'StockReleased' AND envelope->'data'->>'orderId' = ANY($1::text[])`,
      [orderIds],
    );
    expect(count).toBe(released.length);
    expect(await stockOf('SKU-0004')).toBe(before);
    // The per-order lock made them take turns; no handler had to fail and retry.
    expect(await metric('shop_messages_failed_total')).toBe(failuresBefore);
  });
});
