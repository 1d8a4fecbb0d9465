import { routingKeyOf } from '@shop/contracts';
import type { Channel } from 'amqplib';
import { Subscriptions } from './subscriptions';

/** The one exchange every event is published to. */
export const EVENTS_EXCHANGE = 'shop.events';

/**
 * Operational messages (heartbeats `heartbeat.<service>`, bus logs `log.<service>.<level>`,
 * replay acknowledgements): never domain events, so they stay off `shop.events` and out of
 * every service's queue (docs/architecture.md, "Ops").
 */
export const MONITORING_EXCHANGE = 'shop.monitoring';

/** Queues of apps/ops that every service declares, so nothing published meanwhile is lost. */
export const OPS_QUEUES = {
  /** Every event on `shop.events`, for the journal. */
  journal: 'ops.journal',
  /** `replay.<service>.handled` acknowledgements of messages ops retried. */
  replayOutcomes: 'ops.replay-outcomes',
  /** `heartbeat.*`: which instances run (`GET /api/services`). */
  heartbeats: 'ops.heartbeats',
} as const;

/** Heartbeats are news only while fresh: the queue keeps none older than this, and few. */
const HEARTBEAT_QUEUE_ARGUMENTS = {
  'x-message-ttl': 60_000,
  'x-max-length': 10_000,
  'x-overflow': 'drop-head',
};

/** Routing key of the acknowledgement a service publishes once it handled a replayed message. */
export function replayOutcomeRoutingKey(service: string): string {
  return `replay.${service}.handled`;
}

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
    queues: [
      ...services.flatMap((name) => [
        eventsQueue(name),
        ...(name === service ? retryQueues(name, retryDelaysMs) : []),
        plainQueue(serviceQueueNames(name).dlq),
      ]),
      plainQueue(OPS_QUEUES.journal),
      plainQueue(OPS_QUEUES.replayOutcomes),
      {
        name: OPS_QUEUES.heartbeats,
        durable: true,
        arguments: { ...CLASSIC, ...HEARTBEAT_QUEUE_ARGUMENTS },
      },
    ],
    bindings: [
      ...services.flatMap((name) =>
        [...new Set(subscriptions[name].map(routingKeyOf))].sort().map((routingKey) => ({
          queue: serviceQueueNames(name).events,
          exchange: EVENTS_EXCHANGE,
          routingKey,
        })),
      ),
      { queue: OPS_QUEUES.journal, exchange: EVENTS_EXCHANGE, routingKey: '#' },
      { queue: OPS_QUEUES.replayOutcomes, exchange: MONITORING_EXCHANGE, routingKey: 'replay.#' },
      { queue: OPS_QUEUES.heartbeats, exchange: MONITORING_EXCHANGE, routingKey: 'heartbeat.*' },
    ],
  };
}

/** The services that own a `<service>.dlq`: every service of the topology, read from the data. */
export function deadLetterQueues(topology: Topology): Array<{ service: string; queue: string }> {
  return topology.queues
    .filter((queue) => queue.name.endsWith('.dlq'))
    .map((queue) => ({ service: queue.name.slice(0, -'.dlq'.length), queue: queue.name }));
}

function plainQueue(name: string): QueueSpec {
  return { name, durable: true, arguments: { ...CLASSIC } };
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
