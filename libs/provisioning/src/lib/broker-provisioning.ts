import {
  BindingSpec,
  brokerPermissions,
  brokerUrls,
  DEFAULT_QUEUE_TYPE,
  declareTopology,
  isPreconditionFailed,
  ownTopology,
  QueueSpec,
  QueueType,
  serviceQueueNames,
  shopTopology,
  Subscriptions,
  Topology,
  TopologyDeclarationError,
} from '@shop/rmq';
import { connect } from 'amqplib';
import { ManagementApi } from './management-api';
import { finishMigration, migrateQueue } from './queue-migration';
import { ServiceAccount, vhostOf } from './service-account';

export interface TopologyDeclaration {
  /** The type of every queue; default quorum. */
  queueType?: QueueType;
  /**
   * Re-create queues that exist with other arguments and hold messages (see `migrateQueue`).
   * Without it the step refuses to touch them and says how to go on.
   */
  migrateQueues?: boolean;
}

export interface BrokerProvisioning {
  /** An administrator's AMQP URL; its vhost is the one provisioned. */
  adminUrl: string;
  /** The management API, with an administrator's credentials. */
  managementUrl: string;
  subscriptions: Subscriptions;
  /** One broker user per service; each gets exactly the rights its part of the topology needs. */
  accounts: ServiceAccount[];
  log: (line: string) => void;
  declaration?: TopologyDeclaration;
}

/**
 * The broker half of the one-shot setup step: the vhost, a user per service with its
 * permissions (docs/architecture.md, "Least privilege"), then the shop's whole topology.
 * Idempotent: run it again after any change, or to heal a deleted object.
 */
export async function provisionBroker(options: BrokerProvisioning): Promise<void> {
  const adminUrl = brokerUrls(options.adminUrl)[0];
  const vhost = vhostOf(adminUrl);
  const api = new ManagementApi(options.managementUrl);
  const admin = decodeURIComponent(new URL(adminUrl).username);
  await api.putVhost(vhost);
  for (const account of options.accounts) {
    if (account.username === admin) {
      throw new Error(
        `${account.service} would connect as ${admin}, the administrator: give it a user of its own (e.g. amqp://${account.service}:<password>@host/)`,
      );
    }
    const permissions = brokerPermissions(account.service, options.subscriptions);
    await api.putUser(account.username, account.password);
    await api.putPermissions(vhost, account.username, permissions);
    await api.replaceTopicPermissions(vhost, account.username, permissions.topics);
    options.log(
      `broker user ${account.username} (${account.service}) in vhost ${vhost}: permissions set`,
    );
  }
  const delayQueues = await existingDelayQueues(api, vhost, options.subscriptions, {
    queueType: options.declaration?.queueType,
  });
  await declareShopTopology(
    adminUrl,
    options.subscriptions,
    options.log,
    options.declaration,
    delayQueues,
  );
}

/**
 * Delay queues are each service's own (from its RETRY_DELAYS_MS), so the shop's topology does
 * not list them; those that exist are checked and migrated with the rest.
 */
async function existingDelayQueues(
  api: ManagementApi,
  vhost: string,
  subscriptions: Subscriptions,
  { queueType }: Pick<TopologyDeclaration, 'queueType'>,
): Promise<Topology> {
  const response = await api.request(
    'GET',
    `/api/queues/${encodeURIComponent(vhost)}?columns=name`,
  );
  const names = new Set(((await response.json()) as Array<{ name: string }>).map((q) => q.name));
  const found: Topology = { exchanges: [], queues: [], bindings: [] };
  for (const service of Object.keys(subscriptions)) {
    const prefix = serviceQueueNames(service).retry(0).slice(0, -1);
    const delays = [...names]
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .map((name) => Number(name.slice(prefix.length)));
    if (delays.length === 0) continue;
    const own = ownTopology(service, subscriptions, delays, { queueType });
    const delayQueue = (name: string) => name.startsWith(prefix);
    found.queues.push(...own.queues.filter((queue) => delayQueue(queue.name)));
    found.bindings.push(...own.bindings.filter((binding) => delayQueue(binding.queue)));
  }
  return found;
}

/**
 * Declares the shop's topology as an administrator. A queue that exists with other arguments
 * (an older version of the topology) is replaced when it is empty and unused; otherwise the
 * step fails and says how to migrate it, rather than touch messages.
 */
export async function declareShopTopology(
  adminUrl: string,
  subscriptions: Subscriptions,
  log: (line: string) => void,
  { queueType = DEFAULT_QUEUE_TYPE, migrateQueues = false }: TopologyDeclaration = {},
  alsoExisting: Topology = { exchanges: [], queues: [], bindings: [] },
): Promise<void> {
  const shop = shopTopology(subscriptions, { queueType });
  const topology: Topology = {
    exchanges: shop.exchanges,
    queues: [...shop.queues, ...alsoExisting.queues],
    bindings: [...shop.bindings, ...alsoExisting.bindings],
  };
  const connection = await connect(brokerUrls(adminUrl)[0]);
  try {
    // The redirect exchanges first: a migration re-binds queues to them.
    const exchanges = await connection.createChannel();
    await declareTopology(exchanges, { exchanges: topology.exchanges, queues: [], bindings: [] });
    await exchanges.close();
    for (const queue of topology.queues) {
      const bindings = topology.bindings.filter((binding) => binding.queue === queue.name);
      await finishMigration(connection, queue, bindings, log);
      await declareOrReplace(connection, queue, log, migrateQueues ? bindings : undefined);
    }
    const channel = await connection.createChannel();
    await declareTopology(channel, topology);
    await channel.close();
    log(
      `topology declared (${queueType} queues): ${topology.exchanges.length} exchanges, ${topology.queues.length} queues, ${topology.bindings.length} bindings`,
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
}

type AmqpConnection = Awaited<ReturnType<typeof connect>>;

/**
 * Declares the queue; one that exists with other arguments is replaced when empty and unused,
 * migrated with its messages when `migrateWith` gives its bindings, and otherwise refused.
 */
async function declareOrReplace(
  connection: AmqpConnection,
  queue: QueueSpec,
  log: (line: string) => void,
  migrateWith?: BindingSpec[],
): Promise<void> {
  // A refused declaration closes its channel: one channel per attempt.
  const declare = async () => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments });
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
  try {
    await declare();
    return;
  } catch (error) {
    if (!isPreconditionFailed(error)) {
      throw new TopologyDeclarationError(`queue ${queue.name}`, error);
    }
  }
  const channel = await connection.createChannel();
  const { messageCount, consumerCount } = await channel.checkQueue(queue.name);
  if (consumerCount > 0) {
    await channel.close();
    throw new Error(
      `queue ${queue.name} exists with other arguments and has ${consumerCount} consumer(s): stop the services, then run the setup again (an empty queue is replaced; one holding messages is migrated with --migrate-queues)`,
    );
  }
  if (messageCount > 0) {
    await channel.close();
    if (migrateWith) {
      await migrateQueue(connection, queue, migrateWith, log);
      return;
    }
    throw new Error(
      `queue ${queue.name} exists with other arguments and holds ${messageCount} message(s): ` +
        `run the setup again with --migrate-queues (npm run setup -- --migrate-queues), which moves them into the re-created queue, ` +
        `or let the old version drain it first (an empty queue is replaced)`,
    );
  }
  await channel.deleteQueue(queue.name, { ifEmpty: true, ifUnused: true });
  await channel.close();
  await declare();
  log(`queue ${queue.name} replaced: it was empty and had other arguments`);
}
