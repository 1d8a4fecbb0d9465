import { eventTypesPublishedBy, routingKeyOf } from '@shop/contracts';
import { Subscriptions } from './subscriptions';
import {
  EVENTS_EXCHANGE,
  MONITORING_EXCHANGE,
  MonitoringRoutingKeys,
  OPS_QUEUES,
  OPS_SERVICE,
  ownTopology,
  serviceQueueNames,
  Topology,
} from './topology';

/**
 * What one service's broker user may do in the vhost, as RabbitMQ's regular expressions:
 * `configure` (declare, delete), `write` (publish to an exchange, bind a queue), `read`
 * (consume a queue, bind from an exchange), and per topic exchange the routing keys it may
 * publish (`write`) and bind (`read`). Derived from the topology and the catalog, so a new
 * subscription or event needs no separate grant (docs/architecture.md, "Least privilege").
 */
export interface BrokerPermissions {
  configure: string;
  write: string;
  read: string;
  topics: Array<{ exchange: string; write: string; read: string }>;
}

/** Matches nothing: RabbitMQ's way to grant no right. */
const NOTHING = '^$';

export function brokerPermissions(
  service: string,
  subscriptions: Subscriptions,
): BrokerPermissions {
  return service === OPS_SERVICE
    ? opsPermissions(subscriptions)
    : consumerPermissions(service, subscriptions);
}

/** Every service of the shop with a broker user: the consumers and apps/ops. */
export function servicesWithBrokerUsers(subscriptions: Subscriptions): string[] {
  return [...Object.keys(subscriptions), OPS_SERVICE];
}

/**
 * A consuming service configures only its own queues and redirect exchange (so it heals them
 * when deleted), reads only its own queues, publishes only its own events and its own
 * monitoring messages, and binds its queue only to the events it subscribes to.
 */
function consumerPermissions(service: string, subscriptions: Subscriptions): BrokerPermissions {
  const own = ownResources(ownTopology(service, subscriptions, []), service);
  const publishes = eventTypesPublishedBy(service).map(routingKeyOf);
  const subscribes = (subscriptions[service] ?? []).map(routingKeyOf);
  return {
    configure: anyOf(own),
    write: anyOf([...own, exactly(EVENTS_EXCHANGE), exactly(MONITORING_EXCHANGE)]),
    read: anyOf([...own, exactly(EVENTS_EXCHANGE)]),
    topics: [
      { exchange: EVENTS_EXCHANGE, write: keys(publishes), read: keys(subscribes) },
      { exchange: MONITORING_EXCHANGE, write: monitoringKeys(service), read: NOTHING },
    ],
  };
}

/**
 * apps/ops configures only its own queues, reads them and every `<service>.dlq` (the
 * collector), and publishes only to each service's redirect exchange (a replay reaches the
 * failing service's queue, and no other) and its own monitoring messages; nothing on
 * `shop.events`.
 */
function opsPermissions(subscriptions: Subscriptions): BrokerPermissions {
  const own = Object.values(OPS_QUEUES).map(exactly);
  const services = Object.keys(subscriptions);
  const deadLetterQueues = services.map((name) => exactly(serviceQueueNames(name).dlq));
  const redirects = services.map((name) => exactly(serviceQueueNames(name).dlx));
  const opsBindings = ownTopology(OPS_SERVICE, subscriptions, []).bindings;
  const bound = (exchange: string) =>
    keys(opsBindings.filter((b) => b.exchange === exchange).map((b) => b.routingKey));
  return {
    configure: anyOf(own),
    write: anyOf([...own, ...redirects, exactly(MONITORING_EXCHANGE)]),
    read: anyOf([
      ...own,
      ...deadLetterQueues,
      exactly(EVENTS_EXCHANGE),
      exactly(MONITORING_EXCHANGE),
    ]),
    topics: [
      { exchange: EVENTS_EXCHANGE, write: NOTHING, read: bound(EVENTS_EXCHANGE) },
      {
        exchange: MONITORING_EXCHANGE,
        write: monitoringKeys(OPS_SERVICE),
        read: bound(MONITORING_EXCHANGE),
      },
    ],
  };
}

/** The service's own exchanges and queues, each as an exact pattern; delay queues by shape. */
function ownResources(topology: Topology, service: string): string[] {
  const retry = `${escape(serviceQueueNames(service).retry(0).slice(0, -1))}\\d+`;
  return [
    ...topology.exchanges.map((exchange) => escape(exchange.name)),
    ...topology.queues.map((queue) => escape(queue.name)),
    retry,
  ].map((pattern) => `^${pattern}$`);
}

function monitoringKeys(service: string): string {
  const level = '[a-z]+';
  return anyOf([
    exactly(MonitoringRoutingKeys.heartbeat(service)),
    exactly(MonitoringRoutingKeys.ping(service)),
    `^${escape(MonitoringRoutingKeys.log(service, '\u0000')).replace('\u0000', level)}$`,
    exactly(MonitoringRoutingKeys.replayOutcome(service)),
  ]);
}

function keys(routingKeys: string[]): string {
  return routingKeys.length === 0 ? NOTHING : anyOf([...new Set(routingKeys)].sort().map(exactly));
}

function exactly(name: string): string {
  return `^${escape(name)}$`;
}

/** One regular expression from anchored alternatives (each `^...$`). */
function anyOf(patterns: string[]): string {
  return patterns.length === 0 ? NOTHING : patterns.join('|');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
