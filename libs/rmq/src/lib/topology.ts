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
const HEARTBEAT_QUEUE_LIMITS = {
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

/**
 * `quorum` (the default): every queue is Raft-replicated over the cluster's nodes, and a
 * publisher confirm means a majority of them wrote the message. `classic`: one node's queue,
 * as before; for a single laptop broker it is the same (docs/scaling.md, "Queue types").
 */
export const QUEUE_TYPES = ['quorum', 'classic'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];
export const DEFAULT_QUEUE_TYPE: QueueType = 'quorum';

/**
 * A quorum queue counts how often each message went back to it unacknowledged (a consumer that
 * crashed, a requeue) and dead-letters it to the DLQ beyond this, so a message that kills its
 * consumer cannot loop for ever. Our own retries never count: they ack and re-publish.
 */
export const QUORUM_DELIVERY_LIMIT = 20;

/**
 * Queues with nowhere further to dead-letter to (the DLQs, ops' queues) still get a limit,
 * because RabbitMQ 4 would otherwise apply its default of 20 and then drop the message; and
 * `-1` ("no limit" on 4.x) drops at the first redelivery on 3.10. Their consumers store what
 * they read before acking, so a message comes back this often only in a crash loop.
 */
export const TERMINAL_QUEUE_DELIVERY_LIMIT = 1_000;

export interface TopologyOptions {
  queueType?: QueueType;
}

/** What each kind of queue needs; everything else about the type is decided here alone. */
type QueueRole =
  | { kind: 'plain' }
  | { kind: 'dead-letters-to'; exchange: string; routingKey: string; ttlMs?: number }
  | { kind: 'bounded'; limits: Record<string, string | number> };

/**
 * The arguments of every queue the shop declares, for either queue type. Quorum queues set
 * every limit explicitly: the delivery limit, `reject-publish` overflow (which at-least-once
 * dead-lettering requires) and, where the broker dead-letters, `at-least-once`, so a message
 * leaving a delay queue is removed only once the queue it goes to has confirmed it.
 */
export function queueArguments(
  queueType: QueueType,
  role: QueueRole,
): Record<string, string | number> {
  const quorum = queueType === 'quorum';
  const deliveryLimit =
    role.kind === 'dead-letters-to' ? QUORUM_DELIVERY_LIMIT : TERMINAL_QUEUE_DELIVERY_LIMIT;
  const base: Record<string, string | number> = quorum
    ? { 'x-queue-type': 'quorum', 'x-delivery-limit': deliveryLimit }
    : { 'x-queue-type': 'classic' };
  switch (role.kind) {
    case 'plain':
      return quorum ? { ...base, 'x-overflow': 'reject-publish' } : base;
    case 'bounded':
      return { ...base, ...role.limits };
    case 'dead-letters-to':
      return {
        ...base,
        ...(role.ttlMs === undefined ? {} : { 'x-message-ttl': role.ttlMs }),
        'x-dead-letter-exchange': role.exchange,
        'x-dead-letter-routing-key': role.routingKey,
        ...(quorum
          ? { 'x-overflow': 'reject-publish', 'x-dead-letter-strategy': 'at-least-once' }
          : {}),
      };
  }
}

/**
 * The shop's whole topology, as the one-shot setup step declares it with an administrator's
 * rights: the shared exchanges, every service's queue, DLQ and redirect exchange with their
 * bindings, and the ops queues. Declared before any service starts, so an event published
 * while one of its consumers has never run still waits in that consumer's queue. Delay queues
 * are not in it: each service declares its own, from its own `RETRY_DELAYS_MS`.
 */
export function shopTopology(
  subscriptions: Subscriptions,
  { queueType = DEFAULT_QUEUE_TYPE }: TopologyOptions = {},
): Topology {
  const services = Object.keys(subscriptions).map((name) =>
    consumerTopology(name, subscriptions, [], queueType),
  );
  const ops = opsTopology(queueType);
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
  { queueType = DEFAULT_QUEUE_TYPE }: TopologyOptions = {},
): ServiceTopology {
  const own =
    service === OPS_SERVICE
      ? opsTopology(queueType)
      : consumerTopology(service, subscriptions, retryDelaysMs, queueType);
  return { ...own, requiredExchanges: SHARED_EXCHANGES };
}

function consumerTopology(
  service: string,
  subscriptions: Subscriptions,
  retryDelaysMs: number[],
  queueType: QueueType,
): Topology {
  const names = serviceQueueNames(service);
  const delayQueues = retryQueues(service, retryDelaysMs, queueType);
  const redirected = [names.events, names.dlq, ...delayQueues.map((queue) => queue.name)];
  return {
    exchanges: [{ name: names.dlx, type: 'direct', durable: true }],
    queues: [eventsQueue(service, queueType), ...delayQueues, plainQueue(names.dlq, queueType)],
    bindings: [
      ...[...new Set((subscriptions[service] ?? []).map(routingKeyOf))]
        .sort()
        .map((routingKey) => ({ queue: names.events, exchange: EVENTS_EXCHANGE, routingKey })),
      // Each queue under its own name, as the default exchange would route it.
      ...redirected.map((queue) => ({ queue, exchange: names.dlx, routingKey: queue })),
    ],
  };
}

function opsTopology(queueType: QueueType): Topology {
  return {
    exchanges: [],
    queues: [
      plainQueue(OPS_QUEUES.journal, queueType),
      plainQueue(OPS_QUEUES.replayOutcomes, queueType),
      {
        name: OPS_QUEUES.heartbeats,
        durable: true,
        arguments: queueArguments(queueType, { kind: 'bounded', limits: HEARTBEAT_QUEUE_LIMITS }),
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

function plainQueue(name: string, queueType: QueueType): QueueSpec {
  return { name, durable: true, arguments: queueArguments(queueType, { kind: 'plain' }) };
}

function eventsQueue(service: string, queueType: QueueType): QueueSpec {
  const names = serviceQueueNames(service);
  return {
    name: names.events,
    durable: true,
    // Safety net: anything rejected without our own dead-lettering (or redelivered beyond the
    // delivery limit) still lands in the DLQ.
    arguments: queueArguments(queueType, {
      kind: 'dead-letters-to',
      exchange: names.dlx,
      routingKey: names.dlq,
    }),
  };
}

function retryQueues(service: string, retryDelaysMs: number[], queueType: QueueType): QueueSpec[] {
  const names = serviceQueueNames(service);
  return [...new Set(retryDelaysMs)].map((delayMs) => ({
    name: names.retry(delayMs),
    durable: true,
    // A fixed TTL per queue: messages expire in order, so a long delay never blocks a short one.
    arguments: queueArguments(queueType, {
      kind: 'dead-letters-to',
      exchange: names.dlx,
      routingKey: names.events,
      ttlMs: delayMs,
    }),
  }));
}

/**
 * The queue exists with other arguments, typically another `x-queue-type` left by an earlier
 * version: the broker refuses to redeclare it, and a service never deletes a queue that may
 * hold messages. Names the way out instead of failing with the bare PRECONDITION_FAILED.
 */
export class QueueArgumentsMismatchError extends Error {
  override readonly name = 'QueueArgumentsMismatchError';
  constructor(queue: QueueSpec, cause: unknown) {
    super(
      `cannot declare queue ${queue.name}: it exists with other arguments than this version declares ` +
        `(x-queue-type ${queue.arguments['x-queue-type']}; ${(cause as Error)?.message ?? cause}). ` +
        `Stop the services, then migrate it with the setup step: npm run setup -- --migrate-queues ` +
        `(compose: docker compose run --rm setup node dist/apps/setup/main.js --migrate-queues), ` +
        `or keep the old type with RABBITMQ_QUEUE_TYPE=classic`,
      { cause },
    );
  }
}

/** True for the broker's answer to a redeclaration with other arguments. */
export function isPreconditionFailed(error: unknown): boolean {
  return String((error as Error)?.message ?? error).includes('PRECONDITION_FAILED');
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
  try {
    await channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments });
  } catch (error) {
    if (isPreconditionFailed(error)) throw new QueueArgumentsMismatchError(queue, error);
    throw new TopologyDeclarationError(`queue ${queue.name}`, error);
  }
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
