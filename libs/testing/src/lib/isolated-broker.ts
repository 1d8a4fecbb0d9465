import { SHARED_EXCHANGES } from '@shop/rmq';
import { connect } from 'amqplib';
import { RabbitAdmin } from './rabbitmq-admin';
import { testEnv, uniqueSuffix } from './test-env';

export interface IsolatedBroker {
  vhost: string;
  /** AMQP URL into the private vhost, as the administrator. */
  url: string;
  admin: RabbitAdmin;
  /** The same vhost as another user (a service's least-privileged one, say). */
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
  const url = new URL(testEnv.rabbitmqUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  await declareSharedExchanges(url.toString());
  return {
    vhost,
    url: url.toString(),
    admin,
    urlAs(username: string, password: string) {
      const as = new URL(url);
      as.username = encodeURIComponent(username);
      as.password = encodeURIComponent(password);
      return as.toString();
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
