import { RabbitAdmin } from './rabbitmq-admin';
import { testEnv, uniqueSuffix } from './test-env';

export interface IsolatedBroker {
  vhost: string;
  /** AMQP URL into the private vhost. */
  url: string;
  admin: RabbitAdmin;
  dispose(): Promise<void>;
}

/** A fresh vhost: a test run sees only its own exchanges, queues and messages. */
export async function createIsolatedBroker(label: string): Promise<IsolatedBroker> {
  const admin = new RabbitAdmin();
  const vhost = `test-${label}-${uniqueSuffix()}`;
  await admin.createVhost(vhost);
  const url = new URL(testEnv.rabbitmqUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return { vhost, url: url.toString(), admin, dispose: () => admin.deleteVhost(vhost) };
}
