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

/** Declared only by the setup step; services check that they exist and may not declare them. */
export const SHARED_EXCHANGES = [EVENTS_EXCHANGE, MONITORING_EXCHANGE] as const;

/** Queues of apps/ops, declared by the setup step so nothing published meanwhile is lost. */
export const OPS_QUEUES = {
  /** Every event on `shop.events`, for the journal. */
  journal: 'ops.journal',
  /** `replay.<service>.handled` acknowledgements of messages ops retried. */
  replayOutcomes: 'ops.replay-outcomes',
  /** `heartbeat.*`: which instances run (`GET /api/services`). */
  heartbeats: 'ops.heartbeats',
} as const;

export const OPS_SERVICE = 'ops';

/** Heartbeats are news only while fresh: the queue keeps none older than this, and few. */
const HEARTBEAT_QUEUE_ARGUMENTS = {
  'x-message-ttl': 60_000,
  'x-max-length': 10_000,
  'x-overflow': 'drop-head',
};

/** Routing keys on `shop.monitoring`, each naming the service that publishes it. */
export const MonitoringRoutingKeys = {
  /** Every instance, every `HEARTBEAT_INTERVAL_MS`. */
  heartbeat: (service: string) => `heartbeat.${service}`,
  /** Log lines at or above `LOG_BUS_LEVEL`, as GELF. */
  log: (service: string, level: string) => `log.${service}.${level}`,
  /** The acknowledgement a service publishes once it handled a replayed message. */
  replayOutcome: (service: string) => `replay.${service}.handled`,
  /** A publish nobody binds: the broker confirms and drops it (the publisher's health probe). */
  ping: (service: string) => `ping.${service}`,
};

export const replayOutcomeRoutingKey = MonitoringRoutingKeys.replayOutcome;

export function serviceQueueNames(service: string) {
  return {
    events: `${service}.events`,
    dlq: `${service}.dlq`,
    /**
     * The service's own direct exchange for redirected deliveries: retry and dead-letter
     * copies are published through it, and its delay queues dead-letter through it back to
     * `<service>.events`. Nobody needs the default exchange, which reaches every queue.
     */
    dlx: `${service}.dlx`,
    retry: (delayMs: number) => `${service}.retry.${delayMs}`,
  };
}

export interface ExchangeSpec {
  name: string;
  type: 'topic' | 'direct';
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

/** A broker footprint, as data: print it, compare it with the management UI. */
export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
}

/**
 * What one service declares itself on every (re)connect: its own queues, its redirect
 * exchange and their bindings, so a queue deleted under it comes back. The shared exchanges
 * are the setup step's: the service only checks that they exist.
 */
export interface ServiceTopology extends Topology {
  requiredExchanges: readonly string[];
}

const CLASSIC = { 'x-queue-type': 'classic' };

/**
 * The shop's whole topology, as the one-shot setup step declares it with an administrator's
 * rights: the shared exchanges, every service's queue, DLQ and redirect exchange with their
 * bindings, and the ops queues. Declared before any service starts, so an event published
 * while one of its consumers has never run still waits in that consumer's queue. Delay queues
 * are not in it: each service declares its own, from its own `RETRY_DELAYS_MS`.
 */
export function shopTopology(subscriptions: Subscriptions): Topology {
  const services = Object.keys(subscriptions).map((name) =>
    consumerTopology(name, subscriptions, []),
  );
  const ops = opsTopology();
  return {
    exchanges: [...SHARED_EXCHANGES.map(topicExchange), ...services.flatMap((s) => s.exchanges)],
    queues: [...services.flatMap((s) => s.queues), ...ops.queues],
    bindings: [...services.flatMap((s) => s.bindings), ...ops.bindings],
  };
}

/** What `service` declares itself (see `ServiceTopology`); apps/ops gets its own queues. */
export function ownTopology(
  service: string,
  subscriptions: Subscriptions,
  retryDelaysMs: number[],
): ServiceTopology {
  const own =
    service === OPS_SERVICE
      ? opsTopology()
      : consumerTopology(service, subscriptions, retryDelaysMs);
  return { ...own, requiredExchanges: SHARED_EXCHANGES };
}

function consumerTopology(
  service: string,
  subscriptions: Subscriptions,
  retryDelaysMs: number[],
): Topology {
  const names = serviceQueueNames(service);
  const delayQueues = retryQueues(service, retryDelaysMs);
  const redirected = [names.events, names.dlq, ...delayQueues.map((queue) => queue.name)];
  return {
    exchanges: [{ name: names.dlx, type: 'direct', durable: true }],
    queues: [eventsQueue(service), ...delayQueues, plainQueue(names.dlq)],
    bindings: [
      ...[...new Set((subscriptions[service] ?? []).map(routingKeyOf))]
        .sort()
        .map((routingKey) => ({ queue: names.events, exchange: EVENTS_EXCHANGE, routingKey })),
      // Each queue under its own name, as the default exchange would route it.
      ...redirected.map((queue) => ({ queue, exchange: names.dlx, routingKey: queue })),
    ],
  };
}

function opsTopology(): Topology {
  return {
    exchanges: [],
    queues: [
      plainQueue(OPS_QUEUES.journal),
      plainQueue(OPS_QUEUES.replayOutcomes),
      {
        name: OPS_QUEUES.heartbeats,
        durable: true,
        arguments: { ...CLASSIC, ...HEARTBEAT_QUEUE_ARGUMENTS },
      },
    ],
    bindings: [
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

function topicExchange(name: string): ExchangeSpec {
  return { name, type: 'topic', durable: true };
}

function plainQueue(name: string): QueueSpec {
  return { name, durable: true, arguments: { ...CLASSIC } };
}

function eventsQueue(service: string): QueueSpec {
  const names = serviceQueueNames(service);
  return {
    name: names.events,
    durable: true,
    // Safety net: anything rejected without our own dead-lettering still lands in the DLQ.
    arguments: {
      ...CLASSIC,
      'x-dead-letter-exchange': names.dlx,
      'x-dead-letter-routing-key': names.dlq,
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
      'x-dead-letter-exchange': names.dlx,
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

/** A shared exchange is missing: the setup step has not run against this broker and vhost. */
export class MissingExchangeError extends Error {
  override readonly name = 'MissingExchangeError';
  constructor(exchange: string, cause: unknown) {
    super(
      `exchange ${exchange} does not exist (${(cause as Error)?.message ?? cause}): run the setup step first (npm run setup; docker compose runs it as the "setup" service)`,
      { cause },
    );
  }
}

/**
 * Idempotent: safe on every (re)connect and from every instance. Required exchanges are only
 * checked (a passive declare needs no rights); everything else is declared.
 */
export async function declareTopology(
  channel: Channel,
  topology: Topology & { requiredExchanges?: readonly string[] },
): Promise<void> {
  for (const exchange of topology.requiredExchanges ?? []) {
    try {
      await channel.checkExchange(exchange);
    } catch (error) {
      throw new MissingExchangeError(exchange, error);
    }
  }
  for (const exchange of topology.exchanges) {
    await declaring(`exchange ${exchange.name}`, () =>
      channel.assertExchange(exchange.name, exchange.type, { durable: exchange.durable }),
    );
  }
  for (const queue of topology.queues) await declareQueue(channel, queue);
  for (const binding of topology.bindings) await declareBinding(channel, binding);
}

export async function declareQueue(
  channel: Pick<Channel, 'assertQueue'>,
  queue: QueueSpec,
): Promise<void> {
  await declaring(`queue ${queue.name}`, () =>
    channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments }),
  );
}

export async function declareBinding(
  channel: { bindQueue(queue: string, exchange: string, routingKey: string): Promise<unknown> },
  binding: BindingSpec,
): Promise<void> {
  await declaring(`binding ${binding.exchange} --${binding.routingKey}--> ${binding.queue}`, () =>
    channel.bindQueue(binding.queue, binding.exchange, binding.routingKey),
  );
}

async function declaring(what: string, declare: () => Promise<unknown>): Promise<void> {
  try {
    await declare();
  } catch (error) {
    throw new TopologyDeclarationError(what, error);
  }
}

export function describeTopology(
  topology: Topology & { requiredExchanges?: readonly string[] },
): string {
  const queue = (spec: QueueSpec) =>
    `  queue ${spec.name} ${Object.entries(spec.arguments)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ')}`;
  return [
    ...(topology.requiredExchanges ?? []).map(
      (name) => `  exchange ${name} (checked: declared by the setup step)`,
    ),
    ...topology.exchanges.map(
      (exchange) => `  exchange ${exchange.name} (${exchange.type}, durable)`,
    ),
    ...topology.queues.map(queue),
    ...topology.bindings.map((b) => `  binding ${b.exchange} --${b.routingKey}--> ${b.queue}`),
  ].join('\n');
}
