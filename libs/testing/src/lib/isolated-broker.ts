import { brokerUrls, mapBrokerUrls, SHARED_EXCHANGES } from '@shop/rmq';
import { connect } from 'amqplib';
import { RabbitAdmin } from './rabbitmq-admin';
import { testEnv, uniqueSuffix } from './test-env';

export interface IsolatedBroker {
  vhost: string;
  /** AMQP URL into the private vhost, as the administrator (the first node, for a cluster). */
  url: string;
  admin: RabbitAdmin;
  /**
   * The same vhost as another user (a service's least-privileged one, say): every node's URL,
   * comma-separated as RABBITMQ_URL takes them, when TEST_RABBITMQ_URL names a cluster.
   */
  urlAs(username: string, password: string): string;
  dispose(): Promise<void>;
}

/**
 * A fresh vhost: a test run sees only its own exchanges, queues and messages. The shared
 * exchanges exist from the start, as the setup step leaves them (services only check them).
 */
export async function createIsolatedBroker(label: string): Promise<IsolatedBroker> {
  const admin = new RabbitAdmin();
  const vhost = `test-${label}-${uniqueSuffix()}`;
  await admin.createVhost(vhost);
  const nodes = mapBrokerUrls(testEnv.rabbitmqUrl, (url) => {
    url.pathname = `/${encodeURIComponent(vhost)}`;
  });
  const url = brokerUrls(nodes)[0];
  await declareSharedExchanges(url);
  return {
    vhost,
    url,
    admin,
    urlAs(username: string, password: string) {
      return mapBrokerUrls(nodes, (as) => {
        as.username = encodeURIComponent(username);
        as.password = encodeURIComponent(password);
      });
    },
    dispose: () => admin.deleteVhost(vhost),
  };
}

async function declareSharedExchanges(url: string): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    for (const exchange of SHARED_EXCHANGES) {
      await channel.assertExchange(exchange, 'topic', { durable: true });
    }
  } finally {
    await connection.close();
  }
}
