import type { Channel } from 'amqplib';

/** The one exchange every event is published to. */
export const EVENTS_EXCHANGE = 'shop.events';

export function serviceQueueNames(service: string) {
  return {
    events: `${service}.events`,
    dlq: `${service}.dlq`,
    retry: (delayMs: number) => `${service}.retry.${delayMs}`,
  };
}

export interface ExchangeSpec {
  name: string;
  type: 'topic';
  durable: true;
}

export interface QueueSpec {
  name: string;
  durable: true;
  /** Every argument is set explicitly so brokers of different versions build the same queue. */
  arguments: Record<string, string | number>;
}

export interface BindingSpec {
  queue: string;
  exchange: string;
  routingKey: string;
}

/** A service's whole broker footprint, as data: print it, compare it with the management UI. */
export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
}

export interface ServiceTopologyInput {
  service: string;
  routingKeys: string[];
  retryDelaysMs: number[];
}

export function buildServiceTopology({
  service,
  routingKeys,
  retryDelaysMs,
}: ServiceTopologyInput): Topology {
  const names = serviceQueueNames(service);
  const classic = { 'x-queue-type': 'classic' };
  const retryQueues: QueueSpec[] = [...new Set(retryDelaysMs)].map((delayMs) => ({
    name: names.retry(delayMs),
    durable: true,
    // A fixed TTL per queue: messages expire in order, so a long delay never blocks a short one.
    arguments: {
      ...classic,
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.events,
    },
  }));
  return {
    exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic', durable: true }],
    queues: [
      {
        name: names.events,
        durable: true,
        // Safety net: anything rejected without our own dead-lettering still lands in the DLQ.
        arguments: {
          ...classic,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': names.dlq,
        },
      },
      ...retryQueues,
      { name: names.dlq, durable: true, arguments: { ...classic } },
    ],
    bindings: [...new Set(routingKeys)]
      .sort()
      .map((routingKey) => ({ queue: names.events, exchange: EVENTS_EXCHANGE, routingKey })),
  };
}

/** Idempotent: safe on every (re)connect and from every instance of a service. */
export async function declareTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const exchange of topology.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, { durable: exchange.durable });
  }
  for (const queue of topology.queues) {
    await channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments });
  }
  for (const binding of topology.bindings) {
    await channel.bindQueue(binding.queue, binding.exchange, binding.routingKey);
  }
}

export function describeTopology(topology: Topology): string {
  const queue = (spec: QueueSpec) =>
    `  queue ${spec.name} ${Object.entries(spec.arguments)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ')}`;
  return [
    ...topology.exchanges.map(
      (exchange) => `  exchange ${exchange.name} (${exchange.type}, durable)`,
    ),
    ...topology.queues.map(queue),
    ...topology.bindings.map((b) => `  binding ${b.exchange} --${b.routingKey}--> ${b.queue}`),
  ].join('\n');
}
