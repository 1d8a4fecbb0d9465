import { buildServiceTopology, describeTopology } from './topology';

describe('service topology', () => {
  const topology = buildServiceTopology({
    service: 'billing',
    routingKeys: ['payment.captured', 'order.placed', 'order.placed'],
    retryDelaysMs: [1000, 5000, 1000],
  });

  it('declares the shared exchange, the service queue, one delay queue per delay and the DLQ', () => {
    expect(topology.exchanges).toEqual([{ name: 'shop.events', type: 'topic', durable: true }]);
    expect(topology.queues.map((queue) => queue.name)).toEqual([
      'billing.events',
      'billing.retry.1000',
      'billing.retry.5000',
      'billing.dlq',
    ]);
  });

  it('dead-letters expired retries back to the service queue after a fixed per-queue TTL', () => {
    const retry = topology.queues.find((queue) => queue.name === 'billing.retry.5000');
    expect(retry?.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-message-ttl': 5000,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'billing.events',
    });
  });

  it('routes anything rejected from the service queue to its DLQ', () => {
    const events = topology.queues.find((queue) => queue.name === 'billing.events');
    expect(events?.arguments).toMatchObject({ 'x-dead-letter-routing-key': 'billing.dlq' });
  });

  it('binds each handled routing key once', () => {
    expect(topology.bindings).toEqual([
      { queue: 'billing.events', exchange: 'shop.events', routingKey: 'order.placed' },
      { queue: 'billing.events', exchange: 'shop.events', routingKey: 'payment.captured' },
    ]);
  });

  it('prints as a readable list', () => {
    expect(describeTopology(topology)).toContain(
      'binding shop.events --order.placed--> billing.events',
    );
  });
});
