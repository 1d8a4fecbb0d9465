import { shopTopology, SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import { BrokerTopology, compareTopologies } from './compare-topologies';

/** What a broker holding exactly `declared` reports through the management API. */
function brokerWith(declared: ReturnType<typeof shopTopology>): BrokerTopology {
  return {
    exchanges: [
      { name: '', type: 'direct', durable: true },
      { name: 'amq.topic', type: 'topic', durable: true },
      ...declared.exchanges.map((each) => ({ name: each.name, type: each.type, durable: true })),
    ],
    queues: declared.queues.map((each) => ({
      name: each.name,
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { ...each.arguments },
    })),
    bindings: [
      // The default exchange's implicit binding of every queue.
      ...declared.queues.map((each) => ({
        source: '',
        destination: each.name,
        routingKey: each.name,
      })),
      ...declared.bindings.map((each) => ({
        source: each.exchange,
        destination: each.queue,
        routingKey: each.routingKey,
      })),
    ],
  };
}

describe('compareTopologies', () => {
  const declared = shopTopology(SHOP_SUBSCRIPTIONS);

  it('finds no difference on a broker holding exactly the declared topology', () => {
    expect(compareTopologies(declared, brokerWith(declared))).toEqual([]);
  });

  it('ignores temporary queues and their bindings (shopctl tail)', () => {
    const actual = brokerWith(declared);
    actual.queues.push({
      name: 'amq.gen-1',
      durable: false,
      exclusive: true,
      autoDelete: true,
      arguments: {},
    });
    actual.bindings.push({ source: 'shop.events', destination: 'amq.gen-1', routingKey: '#' });
    expect(compareTopologies(declared, actual)).toEqual([]);
  });

  it('flags a missing queue, its missing bindings, and a queue nobody declares', () => {
    const actual = brokerWith(declared);
    actual.queues = actual.queues.filter((each) => each.name !== 'billing.events');
    actual.bindings = actual.bindings.filter((each) => each.destination !== 'billing.events');
    actual.queues.push({
      name: 'leftover',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: {},
    });
    const differences = compareTopologies(declared, actual);
    expect(differences).toContainEqual({ kind: 'missing', object: 'queue billing.events' });
    expect(differences).toContainEqual({
      kind: 'missing',
      object: 'binding shop.events --order.placed--> billing.events',
    });
    expect(differences).toContainEqual({ kind: 'undeclared', object: 'queue leftover' });
  });

  it('flags a queue declared with other arguments, showing both', () => {
    const actual = brokerWith(declared);
    const queue = actual.queues.find((each) => each.name === 'orders.events');
    if (!queue) throw new Error('orders.events is declared');
    queue.arguments = { 'x-queue-type': 'classic' };
    const [difference] = compareTopologies(declared, actual);
    expect(difference).toMatchObject({
      kind: 'different',
      object: 'queue orders.events',
      actual: 'x-queue-type="classic"',
    });
    expect(difference).toHaveProperty(
      'declared',
      expect.stringContaining('x-dead-letter-exchange="orders.dlx"'),
    );
  });

  it('flags an exchange of the wrong type', () => {
    const actual = brokerWith(declared);
    const exchange = actual.exchanges.find((each) => each.name === 'shop.events');
    if (!exchange) throw new Error('shop.events is declared');
    exchange.type = 'fanout';
    expect(compareTopologies(declared, actual)).toEqual([
      {
        kind: 'different',
        object: 'exchange shop.events',
        declared: 'topic, durable',
        actual: 'fanout, durable',
      },
    ]);
  });
});
