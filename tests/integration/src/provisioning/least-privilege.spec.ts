import { accountOf, provisionBroker, provisionDatabase, ServiceAccount } from '@shop/provisioning';
import { SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import {
  createIsolatedBroker,
  IsolatedBroker,
  isolatedDatabase,
  IsolatedDatabase,
  testEnv,
  uniqueSuffix,
} from '@shop/testing';
import { connect } from 'amqplib';
import { Client, escapeIdentifier } from 'pg';
import { anOrderPlaced } from '../support/order-placed';

const quiet = () => undefined;

/** Runs one AMQP operation as a user and says how the broker answered: 'ok' or its error. */
async function asUser(
  url: string,
  operation: (
    channel: Awaited<ReturnType<Awaited<ReturnType<typeof connect>>['createConfirmChannel']>>,
  ) => Promise<unknown>,
): Promise<string> {
  const connection = await connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    const closed = new Promise<string>((resolve) =>
      channel.once('error', (error: Error) => resolve(error.message)),
    );
    channel.on('error', () => undefined);
    const outcome = operation(channel).then(
      () => 'ok',
      (error: Error) => error.message,
    );
    return await Promise.race([outcome, closed]);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

describe('least privilege on the broker: each service has its own user', () => {
  let broker: IsolatedBroker;
  const accounts = new Map<string, ServiceAccount>();
  const urlOf = (service: string) =>
    broker.urlAs(accounts.get(service)!.username, accounts.get(service)!.password);

  beforeAll(async () => {
    broker = await createIsolatedBroker('least-privilege');
    for (const service of ['orders', 'billing', 'inventory', 'payments', 'ops']) {
      accounts.set(service, {
        service,
        username: `${broker.vhost}-${service}`,
        password: `secret-${uniqueSuffix()}`,
      });
    }
    await provisionBroker({
      adminUrl: broker.url,
      managementUrl: testEnv.rabbitmqManagementUrl,
      subscriptions: SHOP_SUBSCRIPTIONS,
      accounts: [...accounts.values()],
      log: quiet,
    });
  });

  afterAll(async () => {
    await broker?.dispose();
    for (const account of accounts.values()) {
      await broker?.admin.deleteUser(account.username);
    }
  });

  it("refuses billing consuming orders' queue: ACCESS_REFUSED", async () => {
    const outcome = await asUser(urlOf('billing'), (channel) =>
      channel.consume('orders.events', () => undefined),
    );
    expect(outcome).toContain('ACCESS_REFUSED');
    expect(outcome).toContain("queue 'orders.events'");
  });

  it('lets billing consume its own queue', async () => {
    expect(
      await asUser(urlOf('billing'), (channel) =>
        channel.consume('billing.events', () => undefined),
      ),
    ).toBe('ok');
  });

  it('refuses billing publishing an event orders owns (OrderConfirmed), and lets it publish its own', async () => {
    const publish = (routingKey: string) =>
      asUser(urlOf('billing'), async (channel) => {
        channel.publish('shop.events', routingKey, Buffer.from('{}'));
        await channel.waitForConfirms();
      });
    const refused = await publish('order.confirmed');
    expect(refused).toContain('ACCESS_REFUSED');
    expect(refused).toContain("access to topic 'order.confirmed' in exchange 'shop.events'");
    expect(await publish('payment.requested')).toBe('ok');
  });

  it('refuses every service the default exchange, which would reach any queue', async () => {
    for (const service of accounts.keys()) {
      const outcome = await asUser(urlOf(service), async (channel) => {
        channel.publish('', 'orders.events', Buffer.from('{}'));
        await channel.waitForConfirms();
      });
      expect(outcome).toContain('ACCESS_REFUSED');
    }
  });

  it("refuses billing binding its queue to events it does not subscribe to, or touching others' objects", async () => {
    const billing = urlOf('billing');
    expect(
      await asUser(billing, (channel) =>
        channel.bindQueue('billing.events', 'shop.events', 'order.confirmed'),
      ),
    ).toContain('ACCESS_REFUSED');
    expect(
      await asUser(billing, (channel) => channel.assertQueue('orders.events', { durable: true })),
    ).toContain('ACCESS_REFUSED');
    expect(await asUser(billing, (channel) => channel.deleteExchange('shop.events'))).toContain(
      'ACCESS_REFUSED',
    );
    expect(await asUser(billing, (channel) => channel.purgeQueue('orders.events'))).toContain(
      'ACCESS_REFUSED',
    );
  });

  it('lets ops read the DLQs but not the work queues, and publish no event', async () => {
    const ops = urlOf('ops');
    expect(await asUser(ops, (channel) => channel.consume('billing.dlq', () => undefined))).toBe(
      'ok',
    );
    expect(
      await asUser(ops, (channel) => channel.consume('billing.events', () => undefined)),
    ).toContain('ACCESS_REFUSED');
    expect(
      await asUser(ops, async (channel) => {
        channel.publish('shop.events', 'order.placed', Buffer.from('{}'));
        await channel.waitForConfirms();
      }),
    ).toContain('ACCESS_REFUSED');
  });

  it('replaces an empty queue declared earlier with other arguments, and refuses to touch one holding messages', async () => {
    // An older topology: billing.events dead-lettering through the default exchange.
    const amqp = await connect(broker.url);
    const channel = await amqp.createChannel();
    await channel.deleteQueue('billing.events');
    await channel.assertQueue('billing.events', {
      durable: true,
      arguments: { 'x-queue-type': 'classic', 'x-dead-letter-exchange': '' },
    });
    const lines: string[] = [];
    const again = () =>
      provisionBroker({
        adminUrl: broker.url,
        managementUrl: testEnv.rabbitmqManagementUrl,
        subscriptions: SHOP_SUBSCRIPTIONS,
        accounts: [],
        log: (line) => lines.push(line),
      });
    await again();
    expect(lines).toContain('queue billing.events replaced: it was empty and had other arguments');

    await channel.deleteQueue('payments.events');
    await channel.assertQueue('payments.events', { durable: true, arguments: {} });
    channel.sendToQueue('payments.events', Buffer.from(JSON.stringify(anOrderPlaced())));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(again()).rejects.toThrow(
      /queue payments\.events exists with other arguments and holds 1 message/,
    );
    expect((await channel.checkQueue('payments.events')).messageCount).toBe(1);
    await amqp.close();
  });

  it('refuses to provision a service as the administrator', async () => {
    await expect(
      provisionBroker({
        adminUrl: broker.url,
        managementUrl: testEnv.rabbitmqManagementUrl,
        subscriptions: SHOP_SUBSCRIPTIONS,
        accounts: [accountOf('billing', broker.url)],
        log: quiet,
      }),
    ).rejects.toThrow('billing would connect as guest, the administrator');
  });
});

describe('least privilege in PostgreSQL: each service has a role that owns only its database', () => {
  const orders: IsolatedDatabase = isolatedDatabase('lp_orders');
  const billing: IsolatedDatabase = isolatedDatabase('lp_billing');
  const roleUrl = (database: IsolatedDatabase) => {
    const url = new URL(database.url);
    url.username = database.name;
    url.password = 'not-checked-by-trust-auth';
    return url.toString();
  };
  const asRole = async (database: IsolatedDatabase, sql: string) => {
    const client = new Client({ connectionString: roleUrl(database) });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    for (const [service, database] of [
      ['orders', orders],
      ['billing', billing],
    ] as const) {
      await provisionDatabase({
        adminUrl: testEnv.postgresUrl,
        service,
        url: roleUrl(database),
        log: quiet,
      });
    }
    // Orders' migrations run as orders' role, as they do when the service starts.
    await asRole(orders, 'CREATE TABLE orders (id uuid PRIMARY KEY, customer_id text)');
  });

  afterAll(async () => {
    await orders.dispose();
    await billing.dispose();
    const admin = new Client({ connectionString: testEnv.postgresUrl });
    await admin.connect();
    for (const database of [orders, billing]) {
      await admin.query(`DROP ROLE IF EXISTS ${escapeIdentifier(database.name)}`);
    }
    await admin.end();
  });

  it("refuses billing's role even a connection to orders' database: permission denied", async () => {
    const client = new Client({
      connectionString: roleUrl(orders).replace(`//${orders.name}:`, `//${billing.name}:`),
    });
    await expect(client.connect()).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining(`permission denied for database "${orders.name}"`),
    });
  });

  it("refuses billing's role reading orders' tables, even inside orders' database", async () => {
    // As the administrator, become billing's role where it could never connect by itself.
    const result = await orders
      .query(`SET ROLE ${escapeIdentifier(billing.name)}; SELECT * FROM orders`)
      .then(
        () => 'read',
        (error: { code?: string; message: string }) => `${error.code}: ${error.message}`,
      );
    expect(result).toBe('42501: permission denied for table orders');
  });

  it('gives the role no administrator rights: no superuser, no new databases, no new roles', async () => {
    const [role] = await orders.query<{
      rolsuper: boolean;
      rolcreatedb: boolean;
      rolcreaterole: boolean;
    }>('SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1', [
      billing.name,
    ]);
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    await expect(asRole(billing, 'CREATE DATABASE sneaky')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it("hands over to the service's role the tables an administrator created before roles existed", async () => {
    await billing.query('CREATE TABLE legacy_invoices (id int)');
    await provisionDatabase({
      adminUrl: testEnv.postgresUrl,
      service: 'billing',
      url: roleUrl(billing),
      log: quiet,
    });
    const [table] = await billing.query<{ owner: string }>(
      "SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'legacy_invoices'",
    );
    expect(table.owner).toBe(billing.name);
    expect((await asRole(billing, 'SELECT count(*) FROM legacy_invoices')).rows).toEqual([
      { count: '0' },
    ]);
  });
});
