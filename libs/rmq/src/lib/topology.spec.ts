import { SHOP_SUBSCRIPTIONS } from './subscriptions';
import { deadLetterQueues, describeTopology, ownTopology, shopTopology } from './topology';

describe('the shop topology (declared by the setup step)', () => {
  const topology = shopTopology(SHOP_SUBSCRIPTIONS);
  const queue = (name: string) => topology.queues.find((spec) => spec.name === name);
  const boundTo = (name: string, exchange = 'shop.events') =>
    topology.bindings
      .filter((b) => b.queue === name && b.exchange === exchange)
      .map((b) => b.routingKey);

  it("declares the shared exchanges, every service's redirect exchange, queue and DLQ, and the ops queues, but no delay queues", () => {
    expect(topology.exchanges).toEqual([
      { name: 'shop.events', type: 'topic', durable: true },
      { name: 'shop.monitoring', type: 'topic', durable: true },
      { name: 'orders.dlx', type: 'direct', durable: true },
      { name: 'billing.dlx', type: 'direct', durable: true },
      { name: 'inventory.dlx', type: 'direct', durable: true },
      { name: 'payments.dlx', type: 'direct', durable: true },
    ]);
    expect(topology.queues.map((spec) => spec.name)).toEqual([
      'orders.events',
      'orders.dlq',
      'billing.events',
      'billing.dlq',
      'inventory.events',
      'inventory.dlq',
      'payments.events',
      'payments.dlq',
      'ops.journal',
      'ops.replay-outcomes',
      'ops.heartbeats',
    ]);
  });

  it('binds the journal to every event, the replay outcomes to replay acknowledgements, and ops.heartbeats to heartbeats', () => {
    expect(topology.bindings).toEqual(
      expect.arrayContaining([
        { queue: 'ops.journal', exchange: 'shop.events', routingKey: '#' },
        { queue: 'ops.replay-outcomes', exchange: 'shop.monitoring', routingKey: 'replay.#' },
        { queue: 'ops.heartbeats', exchange: 'shop.monitoring', routingKey: 'heartbeat.*' },
      ]),
    );
  });

  it('keeps only fresh heartbeats, and few, in ops.heartbeats', () => {
    expect(queue('ops.heartbeats')?.arguments).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 1000,
      'x-message-ttl': 60000,
      'x-max-length': 10000,
      'x-overflow': 'drop-head',
    });
  });

  it('lists every service DLQ from the topology data, for the dead-letter collector', () => {
    expect(deadLetterQueues(topology)).toEqual([
      { service: 'orders', queue: 'orders.dlq' },
      { service: 'billing', queue: 'billing.dlq' },
      { service: 'inventory', queue: 'inventory.dlq' },
      { service: 'payments', queue: 'payments.dlq' },
    ]);
  });

  it("routes anything rejected from a service queue to that service's DLQ, through its own redirect exchange", () => {
    expect(queue('billing.events')?.arguments).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 20,
      'x-dead-letter-exchange': 'billing.dlx',
      'x-dead-letter-routing-key': 'billing.dlq',
      'x-overflow': 'reject-publish',
      'x-dead-letter-strategy': 'at-least-once',
    });
    expect(boundTo('billing.dlq', 'billing.dlx')).toEqual(['billing.dlq']);
    expect(boundTo('billing.events', 'billing.dlx')).toEqual(['billing.events']);
  });

  it("binds every service's queue to the routing keys of its subscriptions, each once", () => {
    expect(boundTo('billing.events')).toEqual([
      'order.placed',
      'payment.captured',
      'payment.declined',
    ]);
    expect(boundTo('inventory.events')).toEqual([
      'order.cancelled',
      'order.confirmed',
      'order.placed',
    ]);
    expect(boundTo('payments.events')).toEqual(['order.cancelled', 'payment.requested']);
    expect(boundTo('orders.events')).toHaveLength(5);
  });
});

describe('queue types (RABBITMQ_QUEUE_TYPE)', () => {
  const argumentsOf = (queueType: 'quorum' | 'classic') =>
    Object.fromEntries(
      ownTopology('billing', SHOP_SUBSCRIPTIONS, [1000], { queueType }).queues.map((spec) => [
        spec.name,
        spec.arguments,
      ]),
    );

  it('makes every queue, DLQ and delay queue quorum by default, with explicit limits, and a DLQ that never drops at 20 redeliveries', () => {
    const quorum = argumentsOf('quorum');
    for (const args of Object.values(quorum)) {
      expect(args['x-queue-type']).toBe('quorum');
      expect(args['x-delivery-limit']).toEqual(expect.any(Number));
      expect(args['x-overflow']).toBe('reject-publish');
    }
    expect(quorum['billing.dlq']).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 1000,
      'x-overflow': 'reject-publish',
    });
    for (const name of ['billing.events', 'billing.retry.1000']) {
      expect(quorum[name]['x-dead-letter-strategy']).toBe('at-least-once');
    }
  });

  it('declares classic queues exactly as before quorum queues existed here, so a classic broker needs no migration', () => {
    expect(argumentsOf('classic')).toEqual({
      'billing.events': {
        'x-queue-type': 'classic',
        'x-dead-letter-exchange': 'billing.dlx',
        'x-dead-letter-routing-key': 'billing.dlq',
      },
      'billing.retry.1000': {
        'x-queue-type': 'classic',
        'x-message-ttl': 1000,
        'x-dead-letter-exchange': 'billing.dlx',
        'x-dead-letter-routing-key': 'billing.events',
      },
      'billing.dlq': { 'x-queue-type': 'classic' },
    });
  });

  it('gives the shop topology the same type throughout', () => {
    const types = (queueType: 'quorum' | 'classic') =>
      new Set(
        shopTopology(SHOP_SUBSCRIPTIONS, { queueType }).queues.map(
          (spec) => spec.arguments['x-queue-type'],
        ),
      );
    expect(types('classic')).toEqual(new Set(['classic']));
    expect(types('quorum')).toEqual(new Set(['quorum']));
  });
});

describe("a service's own topology (declared by the service on every reconnect)", () => {
  const billing = ownTopology('billing', SHOP_SUBSCRIPTIONS, [1000, 5000, 1000]);

  it('holds only its own exchange, queues and bindings, and requires the shared exchanges', () => {
    expect(billing.requiredExchanges).toEqual(['shop.events', 'shop.monitoring']);
    expect(billing.exchanges.map((exchange) => exchange.name)).toEqual(['billing.dlx']);
    expect(billing.queues.map((spec) => spec.name)).toEqual([
      'billing.events',
      'billing.retry.1000',
      'billing.retry.5000',
      'billing.dlq',
    ]);
    expect(new Set(billing.bindings.map((binding) => binding.queue))).toEqual(
      new Set(['billing.events', 'billing.retry.1000', 'billing.retry.5000', 'billing.dlq']),
    );
  });

  it('dead-letters expired retries back to the service queue after a fixed per-queue TTL', () => {
    expect(billing.queues.find((spec) => spec.name === 'billing.retry.5000')?.arguments).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 20,
      'x-message-ttl': 5000,
      'x-dead-letter-exchange': 'billing.dlx',
      'x-dead-letter-routing-key': 'billing.events',
      'x-overflow': 'reject-publish',
      'x-dead-letter-strategy': 'at-least-once',
    });
    expect(billing.bindings).toContainEqual({
      queue: 'billing.retry.5000',
      exchange: 'billing.dlx',
      routingKey: 'billing.retry.5000',
    });
  });

  it('declares its queue and DLQ exactly as the setup step does', () => {
    const shop = shopTopology(SHOP_SUBSCRIPTIONS);
    for (const name of ['billing.events', 'billing.dlq']) {
      expect(billing.queues.find((spec) => spec.name === name)).toEqual(
        shop.queues.find((spec) => spec.name === name),
      );
    }
    const sharedBindings = billing.bindings.filter((b) => !b.queue.includes('.retry.'));
    expect(shop.bindings).toEqual(expect.arrayContaining(sharedBindings));
  });

  it("gives apps/ops its own queues and bindings, and nobody else's", () => {
    const ops = ownTopology('ops', SHOP_SUBSCRIPTIONS, [1000]);
    expect(ops.exchanges).toEqual([]);
    expect(ops.queues.map((spec) => spec.name)).toEqual([
      'ops.journal',
      'ops.replay-outcomes',
      'ops.heartbeats',
    ]);
  });

  it('prints as a readable list', () => {
    const printed = describeTopology(billing);
    expect(printed).toContain('exchange shop.events (checked: declared by the setup step)');
    expect(printed).toContain('binding shop.events --order.placed--> billing.events');
    expect(printed).toContain(
      'queue billing.retry.1000 x-queue-type="quorum" x-delivery-limit=20 x-message-ttl=1000',
    );
  });
});
