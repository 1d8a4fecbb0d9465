import {
  FAST_RETRY_ENV,
  OPS_TEST_TOKEN,
  publishRaw,
  runServiceToExit,
  ServiceName,
  TestSystem,
  testEnv,
  waitFor,
} from '@shop/testing';
import { OpsClient } from './support/ops-client';
import { ShopClient } from './support/shop-client';

const SERVICES: ServiceName[] = ['orders', 'billing', 'inventory', 'payments', 'ops'];

/** Every secret of a run: each service's password (broker and database) and ops' token. */
function secretsOf(system: TestSystem): Array<{ name: string; value: string }> {
  return [
    ...SERVICES.map((service) => ({
      name: `${service}'s password`,
      value: system.credentialsOf(service).account.password,
    })),
    { name: 'the ops token', value: OPS_TEST_TOKEN },
  ];
}

describe('secrets never appear in logs, errors or /health', () => {
  let system: TestSystem;
  const outputs: Array<{ where: string; text: string }> = [];

  beforeAll(async () => {
    system = await TestSystem.start('secrets', { services: SERVICES, env: FAST_RETRY_ENV });
    const shop = new ShopClient(system);
    const ops = new OpsClient(system);

    // A normal run, a failure path and an operator at work, so the logs have something to say.
    const confirmed = await shop.placeOrder('sally', [{ sku: 'SKU-0001', quantity: 1 }]);
    const declined = await shop.placeOrder('declined-sam', [{ sku: 'SKU-0002', quantity: 1 }]);
    await shop.waitForStatus(confirmed.orderId, 'CONFIRMED');
    await shop.waitForStatus(declined.orderId, 'CANCELLED');
    await publishRaw(system.broker.url, 'shop.events', 'order.placed', Buffer.from('{"not": '), {
      messageId: 'secrets-poison',
      type: 'OrderPlaced',
    });
    await waitFor(
      () => ops.get<{ total: number }>('/api/dead-letters?service=billing'),
      (page) => page.status === 200 && page.body.total >= 1,
      { description: 'the poison message collected by ops' },
    );
    await new OpsClient(system, 'a-wrong-token-of-some-length').get('/api/dead-letters');
    await system.service('billing').post('/nowhere', { junk: true });

    for (const service of SERVICES) {
      const instance = system.service(service);
      for (const path of ['/health/ready', '/health/live', '/metrics']) {
        const { body } = await instance.get(path);
        outputs.push({ where: `${service} ${path}`, text: JSON.stringify(body) });
      }
    }
    // The setup step itself, run as a process over the same accounts.
    const setup = await runServiceToExit('setup', {
      RABBITMQ_ADMIN_URL: system.broker.url,
      RABBITMQ_MANAGEMENT_URL: testEnv.rabbitmqManagementUrl,
      DATABASE_ADMIN_URL: testEnv.postgresUrl,
      ...Object.fromEntries(
        SERVICES.flatMap((service) => [
          [`${service.toUpperCase()}_RABBITMQ_URL`, system.credentialsOf(service).rabbitmqUrl],
          [`${service.toUpperCase()}_DATABASE_URL`, system.credentialsOf(service).databaseUrl],
        ]),
      ),
    });
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain('setup: done');
    outputs.push({ where: 'setup output', text: setup.stdout + setup.stderr });
    for (const service of SERVICES) {
      outputs.push({ where: `${service} log`, text: system.service(service).logs() });
    }
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('logged and answered plenty, naming the users but never a password or token', () => {
    expect(outputs.find((each) => each.where === 'billing log')?.text).toContain(
      `${system.credentialsOf('billing').account.username}:***@`,
    );
    const leaks = outputs.flatMap(({ where, text }) =>
      secretsOf(system)
        .filter((secret) => text.includes(secret.value))
        .map((secret) => `${secret.name} in ${where}`),
    );
    expect(leaks).toEqual([]);
  });
});
