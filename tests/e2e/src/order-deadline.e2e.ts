import { createEvent, DomainEvent } from '@shop/contracts';
import { EVENTS_EXCHANGE } from '@shop/rmq';
import { FAST_RETRY_ENV, publishEvent, TestSystem, testEnv, waitFor } from '@shop/testing';
import { Client, escapeIdentifier } from 'pg';
import { randomUUID } from 'node:crypto';
import { Order, ShopClient } from './support/shop-client';

const ORDER_TIMEOUT_MS = 3_000;

/**
 * The saga's deadline: a step that never arrives (here, a binding removed on the broker, the
 * way a misconfiguration loses it) must not leave an order PENDING forever.
 */
describe('order saga deadline (ORDER_TIMEOUT_MS)', () => {
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await TestSystem.start('deadline', {
      services: ['orders', 'billing', 'inventory', 'payments'],
      env: FAST_RETRY_ENV,
      envFor: { orders: { ORDER_TIMEOUT_MS: String(ORDER_TIMEOUT_MS) } },
    });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  /** Runs `steps` while `queue` receives no `routingKey` events, then binds it again. */
  async function withoutBinding<T>(
    queue: string,
    routingKey: string,
    steps: () => Promise<T>,
  ): Promise<T> {
    const { admin, vhost } = system.broker;
    await admin.unbind(vhost, EVENTS_EXCHANGE, queue, routingKey);
    try {
      return await steps();
    } finally {
      await admin.bind(vhost, EVENTS_EXCHANGE, queue, routingKey);
    }
  }

  /** An order placed while billing never hears of it: it can only end by the deadline. */
  async function orderBillingNeverHears(customerId: string, sku: string): Promise<Order> {
    return withoutBinding('billing.events', 'order.placed', async () => {
      const placed = await shop.placeOrder(customerId, [{ sku, quantity: 2 }]);
      return shop.waitForStatus(placed.orderId, 'CANCELLED');
    });
  }

  async function orderPlacedEvent(orderId: string): Promise<DomainEvent<'OrderPlaced'>> {
    const [{ envelope }] = await system.db('orders').query<{
      envelope: DomainEvent<'OrderPlaced'>;
    }>(`SELECT envelope FROM outbox WHERE event_type = 'OrderPlaced' AND envelope->'data'->>'orderId' = $1`, [orderId]);
    return envelope;
  }

  /** The deadline's two history steps: what it saw, and the cancellation it announced. */
  function expectDeadlineSteps(order: Order, waitingFor: string): void {
    const steps = order.history.map((step) => step.step);
    const deadline = steps.indexOf('DeadlinePassed');
    expect(order.history[deadline]).toEqual({
      step: 'DeadlinePassed',
      status: 'CANCELLED',
      detail: expect.stringMatching(
        new RegExp(`^no outcome from .*${waitingFor}.* within ${ORDER_TIMEOUT_MS} ms$`),
      ),
      at: expect.any(String),
    });
    expect(order.history[deadline + 1]).toMatchObject({
      step: 'OrderCancelled',
      status: 'CANCELLED',
      detail: 'TIMEOUT',
    });
  }

  it('cancels an order billing never hears of with TIMEOUT: its stock is released and nothing is charged', async () => {
    const stockBefore = await shop.stock('SKU-0003');

    const cancelled = await orderBillingNeverHears('ivy', 'SKU-0003');

    expect(cancelled.reason).toBe('TIMEOUT');
    const order = await shop.waitForStep(cancelled.orderId, 'StockReleased');
    expectDeadlineSteps(order, 'billing');
    expect(await system.emitted('orders', order.orderId)).toEqual([
      'OrderPlaced',
      'OrderCancelled',
    ]);
    expect(await shop.stock('SKU-0003')).toBe(stockBefore);
    expect(await shop.reservations(order.orderId)).toEqual([
      expect.objectContaining({ status: 'RELEASED', cancelReason: 'TIMEOUT' }),
    ]);
    expect(await shop.invoices(order.orderId)).toEqual([]);
    expect(await shop.payments(order.orderId)).toEqual([]);
    // Payments heard of the cancellation too: a payment request arriving now charges nothing.
    expect(
      await system
        .db('payments')
        .query('SELECT reason FROM order_cancellations WHERE order_id = $1', [order.orderId]),
    ).toEqual([{ reason: 'TIMEOUT' }]);
  });

  it('a billing outcome arriving after the timeout is recorded but moves nothing: no confirmation, stock stays released', async () => {
    const stockBefore = await shop.stock('SKU-0001');
    const cancelled = await orderBillingNeverHears('jack', 'SKU-0001');
    await shop.waitForStep(cancelled.orderId, 'StockReleased');
    // The very outcome that would have confirmed the order, had it come in time.
    const late = createEvent(
      'OrderProcessed',
      { orderId: cancelled.orderId, invoiceId: randomUUID(), status: 'PROCESSED' },
      { source: 'billing', causedBy: await orderPlacedEvent(cancelled.orderId) },
    );

    await publishEvent(system.broker.url, late);

    const order = await shop.waitForStep(cancelled.orderId, 'OrderProcessed');
    expect(order).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT' });
    expect(order.history.find((step) => step.step === 'OrderProcessed')).toMatchObject({
      status: 'CANCELLED',
      detail: 'PROCESSED',
      eventId: late.eventId,
    });
    expect(await system.emitted('orders', order.orderId)).toEqual([
      'OrderPlaced',
      'OrderCancelled',
    ]);
    expect(await shop.reservations(order.orderId)).toEqual([
      expect.objectContaining({ status: 'RELEASED' }),
    ]);
    expect(await shop.stock('SKU-0001')).toBe(stockBefore);
  });

  it('an order inventory hears of only after the timeout: its money comes back and nothing is reserved', async () => {
    const stockBefore = await shop.stock('SKU-0004');
    const order = await withoutBinding('inventory.events', 'order.placed', async () => {
      const placed = await shop.placeOrder('kate', [{ sku: 'SKU-0004', quantity: 1 }]);
      expect((await shop.waitForStatus(placed.orderId, 'CANCELLED')).reason).toBe('TIMEOUT');
      return placed;
    });
    const { orderId } = order;

    // Billing and payments went ahead meanwhile: the payment is refunded after its capture,
    // or declined without charging if the cancellation reached payments first.
    const [payment] = await waitFor(
      () => shop.payments(orderId),
      (payments) => payments.length === 1 && payments[0].status !== 'CAPTURED',
      { description: 'the payment to be refunded or declined' },
    );
    if (payment.status === 'REFUNDED') {
      await shop.waitForStep(orderId, 'PaymentRefunded');
    } else {
      expect(payment.status).toBe('DECLINED');
    }
    expectDeadlineSteps(await shop.order(orderId), 'inventory');

    // The lost OrderPlaced finally reaches inventory, after the cancellation's tombstone.
    await publishEvent(system.broker.url, await orderPlacedEvent(orderId));

    const [reservation] = await waitFor(
      () => shop.reservations(orderId),
      (reservations) => reservations[0]?.status === 'SKIPPED',
      { description: `inventory to skip the late OrderPlaced of order ${orderId}` },
    );
    expect(reservation.cancelReason).toBe('TIMEOUT');
    expect(await shop.stock('SKU-0004')).toBe(stockBefore);
  });

  it('two orders instances sweeping side by side cancel each expired order exactly once', async () => {
    const second = await system.startInstance('orders');
    try {
      const stockBefore = await shop.stock('SKU-0005');
      // More than one sweep batch (20) of orders expiring together.
      const orderIds = await withoutBinding('billing.events', 'order.placed', async () => {
        const placed: string[] = [];
        for (let i = 0; i < 30; i++) {
          placed.push(
            (await shop.placeOrder(`sweep-${i}`, [{ sku: 'SKU-0005', quantity: 1 }])).orderId,
          );
        }
        for (const orderId of placed) await shop.waitForStatus(orderId, 'CANCELLED');
        return placed;
      });

      for (const orderId of orderIds) {
        expect(await system.emitted('orders', orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
        const order = await shop.waitForStep(orderId, 'StockReleased');
        expect(order.history.filter((step) => step.step === 'DeadlinePassed')).toHaveLength(1);
      }
      expect(await shop.stock('SKU-0005')).toBe(stockBefore);
    } finally {
      await second.stop();
    }
  });

  it('keeps sweeping after a database outage: an order that expired meanwhile is cancelled once the database is back', async () => {
    const stockBefore = await shop.stock('SKU-0002');
    const orders = system.service('orders');

    const cancelled = await withoutBinding('billing.events', 'order.placed', async () => {
      const placed = await shop.placeOrder('leo', [{ sku: 'SKU-0002', quantity: 2 }]);
      await withDatabaseRefusingConnections(system.db('orders').name, () =>
        waitFor(
          () => orders.logs(),
          (logs) => logs.includes('deadline sweep failed, will try again'),
          { description: 'the sweeper to fail on the unreachable database' },
        ),
      );
      return shop.waitForStatus(placed.orderId, 'CANCELLED');
    });

    expect(cancelled.reason).toBe('TIMEOUT');
    expect(orders.running).toBe(true);
    expect(orders.logs()).toContain('deadline sweep resumed');
    await shop.waitForStep(cancelled.orderId, 'StockReleased');
    expect(await shop.stock('SKU-0002')).toBe(stockBefore);
  });
});

/**
 * An outage of one service's database only (the server is shared): new connections are
 * refused and open ones are cut, until `during` returns.
 */
async function withDatabaseRefusingConnections<T>(
  database: string,
  during: () => Promise<T>,
): Promise<T> {
  const admin = new Client({ connectionString: testEnv.postgresUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${escapeIdentifier(database)} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return await during();
  } finally {
    await admin.query(`ALTER DATABASE ${escapeIdentifier(database)} ALLOW_CONNECTIONS true`);
    await admin.end();
  }
}
