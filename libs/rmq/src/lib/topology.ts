import { routingKeyOf } from '@shop/contracts';
import type { Channel } from 'amqplib';
import { Subscriptions } from './subscriptions';

/** The one exchange every event is published to. */
export const EVENTS_EXCHANGE = 'shop.events';

/**
 * Heartbeats (`heartbeat.<service>`) and logs (`log.<service>.<level>`) of every instance:
 * best effort, not persistent, for whoever listens (ops, a Graylog AMQP input).
 */
export const MONITORING_EXCHANGE = 'shop.monitoring';

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

/** The shop's broker footprint, as data: print it, compare it with the management UI. */
export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
}

export interface TopologyInput {
  /** Every service's subscriptions: each gets its queue, its DLQ and its bindings. */
  subscriptions: Subscriptions;
  /** The service declaring: only it knows its retry delays, so only its delay queues are declared. */
  service: string;
  retryDelaysMs: number[];
}

const CLASSIC = { 'x-queue-type': 'classic' };

/**
 * The whole topology, as every service declares it: all services' queues and bindings, plus
 * the declaring service's own delay queues. Idempotent, so any service may declare it any time.
 */
export function buildTopology({ subscriptions, service, retryDelaysMs }: TopologyInput): Topology {
  const services = Object.keys(subscriptions);
  return {
    exchanges: [
      { name: EVENTS_EXCHANGE, type: 'topic', durable: true },
      { name: MONITORING_EXCHANGE, type: 'topic', durable: true },
    ],
    queues: services.flatMap((name) => [
      eventsQueue(name),
      ...(name === service ? retryQueues(name, retryDelaysMs) : []),
      { name: serviceQueueNames(name).dlq, durable: true, arguments: { ...CLASSIC } },
    ]),
    bindings: services.flatMap((name) =>
      [...new Set(subscriptions[name].map(routingKeyOf))].sort().map((routingKey) => ({
        queue: serviceQueueNames(name).events,
        exchange: EVENTS_EXCHANGE,
        routingKey,
      })),
    ),
  };
}

function eventsQueue(service: string): QueueSpec {
  return {
    name: serviceQueueNames(service).events,
    durable: true,
    // Safety net: anything rejected without our own dead-lettering still lands in the DLQ.
    arguments: {
      ...CLASSIC,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': serviceQueueNames(service).dlq,
    },
  };
}

function retryQueues(service: string, retryDelaysMs: number[]): QueueSpec[] {
  const names = serviceQueueNames(service);
  return [...new Set(retryDelaysMs)].map((delayMs) => ({
    name: names.retry(delayMs),
    durable: true,
    // A fixed TTL per queue: messages expire in order, so a long delay never blocks a short one.
    arguments: {
      ...CLASSIC,
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.events,
    },
  }));
}

/** A declaration the broker refused, naming what it was (a queue declared elsewhere with other arguments, say). */
export class TopologyDeclarationError extends Error {
  override readonly name = 'TopologyDeclarationError';
  constructor(what: string, cause: unknown) {
    super(`cannot declare ${what}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/** Idempotent: safe on every (re)connect and from every instance of every service. */
export async function declareTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const exchange of topology.exchanges) {
    await declaring(`exchange ${exchange.name}`, () =>
      channel.assertExchange(exchange.name, exchange.type, { durable: exchange.durable }),
    );
  }
  for (const queue of topology.queues) await declareQueue(channel, queue);
  for (const binding of topology.bindings) {
    await declaring(`binding ${binding.exchange} --${binding.routingKey}--> ${binding.queue}`, () =>
      channel.bindQueue(binding.queue, binding.exchange, binding.routingKey),
    );
  }
}

export async function declareQueue(
  channel: Pick<Channel, 'assertQueue'>,
  queue: QueueSpec,
): Promise<void> {
  await declaring(`queue ${queue.name}`, () =>
    channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments }),
  );
}

async function declaring(what: string, declare: () => Promise<unknown>): Promise<void> {
  try {
    await declare();
  } catch (error) {
    throw new TopologyDeclarationError(what, error);
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
