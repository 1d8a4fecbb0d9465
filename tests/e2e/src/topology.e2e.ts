import { FAST_RETRY_ENV, TestSystem, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { Readiness, ShopClient } from './support/shop-client';

/** Messages ready in a queue, counted by the broker itself (the management API lags by seconds). */
async function ready(system: TestSystem, queue: string): Promise<number> {
  const amqp = await connect(system.broker.url);
  try {
    return (await (await amqp.createChannel()).checkQueue(queue)).messageCount;
  } finally {
    await amqp.close();
  }
}

async function boundKeys(system: TestSystem, queue: string): Promise<string[]> {
  return (await system.broker.admin.bindings(system.broker.vhost, queue))
    .filter((binding) => binding.source === 'shop.events')
    .map((binding) => binding.routing_key)
    .sort();
}

describe('every service declares the whole topology', () => {
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await TestSystem.start('whole-topology', {
      services: ['orders', 'billing'],
      startLater: ['inventory', 'payments'],
      env: FAST_RETRY_ENV,
    });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('keeps an OrderPlaced in inventory.events although inventory never started, and inventory handles it once it starts', async () => {
    expect(await boundKeys(system, 'inventory.events')).toEqual([
      'order.cancelled',
      'order.confirmed',
      'order.placed',
    ]);
    expect(await boundKeys(system, 'payments.events')).toEqual([
      'order.cancelled',
      'payment.requested',
    ]);

    const placed = await shop.placeOrder('grace', [{ sku: 'SKU-0001', quantity: 1 }]);

    await waitFor(
      () => ready(system, 'inventory.events'),
      (count) => count === 1,
      { description: 'the OrderPlaced waiting in inventory.events' },
    );
    const [waiting] = await system.broker.admin.peek(system.broker.vhost, 'inventory.events');
    expect(waiting.properties.type).toBe('OrderPlaced');
    expect(JSON.parse(waiting.payload).data.orderId).toBe(placed.orderId);
    expect((await shop.order(placed.orderId)).status).toBe('PENDING');

    await Promise.all([system.startInstance('inventory'), system.startInstance('payments')]);

    await shop.waitForStatus(placed.orderId, 'CONFIRMED');
  });
});

describe('a topology that cannot be declared on reconnect', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('bad-topology', { services: ['billing'], env: FAST_RETRY_ENV });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('keeps the process alive, names the queue in its log and in /health/ready, and recovers once the queue is fixed', async () => {
    const billing = system.service('billing');
    const { admin, vhost } = system.broker;
    // Someone re-creates a delay queue with another TTL: billing's declaration now conflicts.
    await admin.deleteQueue(vhost, 'billing.retry.200');
    await admin.declareQueue(vhost, 'billing.retry.200', { 'x-message-ttl': 999 });
    const consumeConnection = await waitFor(
      async () =>
        (await admin.connections(vhost)).find((connection) =>
          connection.clientName?.endsWith('(consume)'),
        ),
      (found) => found !== undefined,
      { description: "billing's consume connection in the management API", timeoutMs: 20_000 },
    );

    await admin.closeConnection(consumeConnection!.name);

    const notReady = await waitFor(
      () => billing.get<Readiness>('/health/ready'),
      (response) =>
        response.status === 503 &&
        (response.body.details['consumer']?.reason ?? '').includes('billing.retry.200'),
      { description: 'billing to report why it is not ready' },
    );
    const consumer = notReady.body.details['consumer'];
    expect(consumer.status).toBe('down');
    expect(consumer.reason).toContain('cannot declare queue billing.retry.200');
    expect(consumer.reason).toContain('PRECONDITION_FAILED');
    expect(consumer.reason).toContain('npm run setup -- --migrate-queues');
    expect(billing.logs()).toContain('cannot declare queue billing.retry.200');
    expect(billing.running).toBe(true);

    await admin.deleteQueue(vhost, 'billing.retry.200');

    await waitFor(
      () => billing.get<Readiness>('/health/ready'),
      (response) => response.status === 200,
      { description: 'billing to declare the queue again and be ready', timeoutMs: 30_000 },
    );
    expect(billing.running).toBe(true);
    expect((await admin.queue(vhost, 'billing.retry.200')) !== null).toBe(true);
  });
});
