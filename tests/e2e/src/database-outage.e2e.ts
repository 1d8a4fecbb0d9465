import { DomainEvent } from '@shop/contracts';
import {
  FAST_RETRY_ENV,
  publishEvent,
  ServiceName,
  TcpProxy,
  testEnv,
  TestSystem,
  waitFor,
} from '@shop/testing';
import { connect } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readiness, ShopClient } from './support/shop-client';

const SERVICES: ServiceName[] = ['orders', 'billing', 'inventory', 'payments'];
/** Far longer than the whole FAST_RETRY_ENV ladder (200 + 400 + 800 ms over 4 attempts). */
const OUTAGE_MS = 9_000;
const ORDERS = 20;

/**
 * Every service reaches PostgreSQL through one TCP proxy; cutting it is a database outage for
 * all four at once, while the shared server itself stays up.
 */
describe('a database outage longer than the retry ladder', () => {
  let proxy: TcpProxy;
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(testEnv.postgresUrl, 5432);
    system = await TestSystem.start('db-outage', {
      services: SERVICES,
      env: FAST_RETRY_ENV,
      databaseUrlFor: (url) => proxy.urlThrough(url),
    });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    proxy?.restore();
    await system?.stop();
    await proxy?.close();
  });

  /** Messages in a queue, counted by the broker itself (the management API lags by seconds). */
  async function depth(queue: string): Promise<number> {
    const amqp = await connect(system.broker.url);
    try {
      return (await (await amqp.createChannel()).checkQueue(queue)).messageCount;
    } finally {
      await amqp.close();
    }
  }

  const circuitOpen = () =>
    Promise.all(SERVICES.map((service) => system.metric(service, 'shop_consumer_circuit_open')));

  it('strands no order and dead-letters nothing: consumers pause while it lasts and resume by themselves', async () => {
    // POST /orders answers 503 while the database is away, so the orders are placed just before.
    const placed = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) =>
        shop.placeOrder(`outage-${i}`, [{ sku: 'SKU-0001', quantity: 1 }]),
      ),
    );
    const [{ envelope: orderPlaced }] = await system.db('orders').query<{
      envelope: DomainEvent;
    }>(`SELECT envelope FROM outbox WHERE event_type = 'OrderPlaced' AND envelope->'data'->>'orderId' = $1`, [placed[0].orderId]);

    proxy.cut();
    const cutAt = Date.now();
    // A redelivery during the outage, so that handlers certainly meet the missing database.
    await publishEvent(system.broker.url, orderPlaced);

    const open = await waitFor(circuitOpen, ([, billing, inventory]) => billing + inventory === 2, {
      description: 'the consumer circuits of billing and inventory to open',
    });
    const ready = await system.service('billing').get<Readiness>('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details['consumer']).toMatchObject({ status: 'down', circuit: 'open' });
    expect(ready.body.details['consumer'].reason).toContain('database');
    expect(await system.metric('billing', 'shop_messages_requeued_total')).toBeGreaterThan(0);

    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));
    proxy.restore();

    const orders = await Promise.all(
      placed.map((order) => shop.waitForStatus(order.orderId, 'CONFIRMED', 60_000)),
    );
    expect(orders.map((order) => order.status)).toEqual(Array(ORDERS).fill('CONFIRMED'));
    await waitFor(circuitOpen, (values) => values.every((value) => value === 0), {
      description: 'every consumer circuit to close',
    });
    const dlqDepths = await Promise.all(SERVICES.map((service) => depth(`${service}.dlq`)));
    const deadLettered = await Promise.all(
      SERVICES.map((service) => system.metric(service, 'shop_messages_dead_lettered_total')),
    );
    process.stdout.write(
      `database outage of ${OUTAGE_MS} ms: circuits open during it ${JSON.stringify(open)}, ` +
        `${ORDERS}/${ORDERS} orders CONFIRMED, DLQ depths ${JSON.stringify(dlqDepths)}\n`,
    );
    expect(dlqDepths).toEqual([0, 0, 0, 0]);
    expect(deadLettered).toEqual([0, 0, 0, 0]);
  });
});
