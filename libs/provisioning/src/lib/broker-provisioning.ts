import {
  brokerPermissions,
  QueueSpec,
  shopTopology,
  Subscriptions,
  TopologyDeclarationError,
  declareTopology,
} from '@shop/rmq';
import { connect } from 'amqplib';
import { ManagementApi } from './management-api';
import { ServiceAccount, vhostOf } from './service-account';

export interface BrokerProvisioning {
  /** An administrator's AMQP URL; its vhost is the one provisioned. */
  adminUrl: string;
  /** The management API, with an administrator's credentials. */
  managementUrl: string;
  subscriptions: Subscriptions;
  /** One broker user per service; each gets exactly the rights its part of the topology needs. */
  accounts: ServiceAccount[];
  log: (line: string) => void;
}

/**
 * The broker half of the one-shot setup step: the vhost, a user per service with its
 * permissions (docs/architecture.md, "Least privilege"), then the shop's whole topology.
 * Idempotent: run it again after any change, or to heal a deleted object.
 */
export async function provisionBroker(options: BrokerProvisioning): Promise<void> {
  const vhost = vhostOf(options.adminUrl);
  const api = new ManagementApi(options.managementUrl);
  const admin = decodeURIComponent(new URL(options.adminUrl).username);
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
  await declareShopTopology(options.adminUrl, options.subscriptions, options.log);
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
): Promise<void> {
  const topology = shopTopology(subscriptions);
  const connection = await connect(adminUrl);
  try {
    for (const queue of topology.queues) await declareOrReplace(connection, queue, log);
    const channel = await connection.createChannel();
    await declareTopology(channel, topology);
    await channel.close();
    log(
      `topology declared: ${topology.exchanges.length} exchanges, ${topology.queues.length} queues, ${topology.bindings.length} bindings`,
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
}

type AmqpConnection = Awaited<ReturnType<typeof connect>>;

async function declareOrReplace(
  connection: AmqpConnection,
  queue: QueueSpec,
  log: (line: string) => void,
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
    if (!String((error as Error).message).includes('PRECONDITION_FAILED')) {
      throw new TopologyDeclarationError(`queue ${queue.name}`, error);
    }
  }
  const channel = await connection.createChannel();
  const { messageCount, consumerCount } = await channel.checkQueue(queue.name);
  if (messageCount > 0 || consumerCount > 0) {
    await channel.close();
    throw new Error(
      `queue ${queue.name} exists with other arguments and holds ${messageCount} message(s) for ${consumerCount} consumer(s): ` +
        `let its consumers drain it with the old version running, stop them, then run the setup again (an empty queue is replaced)`,
    );
  }
  await channel.deleteQueue(queue.name, { ifEmpty: true, ifUnused: true });
  await channel.close();
  await declare();
  log(`queue ${queue.name} replaced: it was empty and had other arguments`);
}
