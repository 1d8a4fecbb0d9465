import { SHOP_SUBSCRIPTIONS } from './subscriptions';
import { buildTopology, deadLetterQueues, describeTopology } from './topology';

describe('topology', () => {
  const topology = buildTopology({
    subscriptions: SHOP_SUBSCRIPTIONS,
    service: 'billing',
    retryDelaysMs: [1000, 5000, 1000],
  });
  const queue = (name: string) => topology.queues.find((spec) => spec.name === name);
  const boundTo = (name: string) =>
    topology.bindings.filter((b) => b.queue === name).map((b) => b.routingKey);

  it('declares the shared exchanges, every service queue and DLQ, the ops queues, and only its own delay queues', () => {
    expect(topology.exchanges).toEqual([
      { name: 'shop.events', type: 'topic', durable: true },
      { name: 'shop.monitoring', type: 'topic', durable: true },
    ]);
    expect(topology.queues.map((spec) => spec.name)).toEqual([
      'orders.events',
      'orders.dlq',
      'billing.events',
      'billing.retry.1000',
      'billing.retry.5000',
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
      'x-queue-type': 'classic',
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

  it('dead-letters expired retries back to the service queue after a fixed per-queue TTL', () => {
    expect(queue('billing.retry.5000')?.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-message-ttl': 5000,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'billing.events',
    });
  });

  it("routes anything rejected from a service queue to that service's DLQ", () => {
    expect(queue('billing.events')?.arguments).toMatchObject({
      'x-dead-letter-routing-key': 'billing.dlq',
    });
    expect(queue('inventory.events')?.arguments).toMatchObject({
      'x-dead-letter-routing-key': 'inventory.dlq',
    });
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

  it('declares the same service queues whichever service declares them', () => {
    const fromInventory = buildTopology({
      subscriptions: SHOP_SUBSCRIPTIONS,
      service: 'inventory',
      retryDelaysMs: [200],
    });
    const withoutDelayQueues = (queues: typeof topology.queues) =>
      queues.filter((spec) => !spec.name.includes('.retry.'));
    expect(withoutDelayQueues(fromInventory.queues)).toEqual(withoutDelayQueues(topology.queues));
    expect(fromInventory.bindings).toEqual(topology.bindings);
  });

  it('prints as a readable list', () => {
    const printed = describeTopology(topology);
    expect(printed).toContain('binding shop.events --order.placed--> billing.events');
    expect(printed).toContain('binding shop.events --order.placed--> inventory.events');
    expect(printed).toContain('queue billing.retry.1000 x-queue-type="classic" x-message-ttl=1000');
  });
});
