import {
  ManagementApi,
  provisionBroker,
  provisionDatabase,
  ServiceAccount,
} from '@shop/provisioning';
import { SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import { Client, escapeIdentifier } from 'pg';
import { randomBytes } from 'node:crypto';
import { createIsolatedBroker, IsolatedBroker } from './isolated-broker';
import { isolatedDatabase, IsolatedDatabase } from './isolated-database';
import { ServiceProcess } from './service-process';
import { testEnv } from './test-env';

export type ServiceName = 'orders' | 'billing' | 'inventory' | 'payments' | 'ops';

/** The `OPS_TOKEN` every TestSystem gives ops: send it as `Authorization: Bearer <token>`. */
export const OPS_TEST_TOKEN = 'test-ops-token-0123456789abcdef';

/**
 * Ops refuses to start without a token; orders' rate limit would throttle tests that place
 * many orders from one address. A test can still override both through `envFor`.
 */
const SERVICE_DEFAULT_ENV: Partial<Record<ServiceName, Record<string, string>>> = {
  ops: { OPS_TOKEN: OPS_TEST_TOKEN },
  orders: { ORDERS_RATE_LIMIT_PER_MINUTE: '0' },
};

export interface TestSystemOptions {
  services: ServiceName[];
  /** Environment for every service (retry delays tuned down, for instance). */
  env?: Record<string, string>;
  /** Environment for one service only. */
  envFor?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Services that get a database but are not started: start them later with `startInstance`. */
  startLater?: ServiceName[];
  /** How services reach their database, e.g. `(url) => proxy.urlThrough(url)`; tests still query it directly. */
  databaseUrlFor?: (directUrl: string) => string;
}

/** Fast retries so failure paths finish in seconds; set through the same env vars users have. */
export const FAST_RETRY_ENV = { RETRY_DELAYS_MS: '200,400,800', RETRY_MAX_ATTEMPTS: '4' };

/** What a service of a TestSystem is given: its own broker user and database role. */
export interface ServiceCredentials {
  rabbitmqUrl: string;
  databaseUrl: string;
  /** The broker user and the database role (one name for both). */
  account: ServiceAccount;
}

/**
 * Several services as real processes on a private vhost, each with its own fresh database:
 * the whole system, isolated from every other test run. Provisioned as production is, by the
 * setup step's code: every service connects as its own least-privileged broker user and
 * database role, never as an administrator.
 */
export class TestSystem {
  private readonly processes = new Map<ServiceName, ServiceProcess[]>();

  private constructor(
    readonly broker: IsolatedBroker,
    private readonly databases: Map<ServiceName, IsolatedDatabase>,
    private readonly credentials: Map<ServiceName, ServiceCredentials>,
    private readonly options: TestSystemOptions,
  ) {}

  static async start(label: string, options: TestSystemOptions): Promise<TestSystem> {
    const broker = await createIsolatedBroker(label);
    const services = [...new Set([...options.services, ...(options.startLater ?? [])])];
    const databases = new Map(
      services.map((service) => [service, isolatedDatabase(`${label}_${service}`)]),
    );
    const credentials = new Map(
      services.map((service) => [
        service,
        credentialsFor(broker, databases.get(service)!, service),
      ]),
    );
    const system = new TestSystem(broker, databases, credentials, options);
    try {
      await system.provision();
      await Promise.all(options.services.map((service) => system.startInstance(service)));
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  /** The broker user and database role a service runs as. */
  credentialsOf(name: ServiceName): ServiceCredentials {
    const credentials = this.credentials.get(name);
    if (!credentials) throw new Error(`${name} is not part of this system`);
    return credentials;
  }

  /** What `npm run setup` does, for this system's vhost, users, roles and databases. */
  private async provision(): Promise<void> {
    const quiet = () => undefined;
    await provisionBroker({
      adminUrl: this.broker.url,
      managementUrl: testEnv.rabbitmqManagementUrl,
      subscriptions: SHOP_SUBSCRIPTIONS,
      accounts: [...this.credentials.values()].map((each) => each.account),
      log: quiet,
    });
    for (const [service, each] of this.credentials) {
      await provisionDatabase({
        adminUrl: testEnv.postgresUrl,
        service,
        url: each.databaseUrl,
        log: quiet,
      });
    }
  }

  /** The first instance of a service. */
  service(name: ServiceName): ServiceProcess {
    const instance = this.processes.get(name)?.find((process) => process.running);
    if (!instance) throw new Error(`no running ${name} instance`);
    return instance;
  }

  instances(name: ServiceName): ServiceProcess[] {
    return this.processes.get(name) ?? [];
  }

  /** A Prometheus series summed over every running instance of a service. */
  async metric(
    name: ServiceName,
    metric: string,
    labels: Record<string, string> = {},
  ): Promise<number> {
    const running = this.instances(name).filter((instance) => instance.running);
    const values = await Promise.all(running.map((instance) => instance.metric(metric, labels)));
    return values.reduce((sum, value) => sum + value, 0);
  }

  /** Event types a service wrote to its outbox about an order: what it emitted, or will. */
  async emitted(name: ServiceName, orderId: string): Promise<string[]> {
    const rows = await this.db(name).query<{ event_type: string }>(
      `SELECT event_type FROM outbox WHERE envelope->'data'->>'orderId' = $1 ORDER BY id`,
      [orderId],
    );
    return rows.map((row) => row.event_type);
  }

  db(name: ServiceName): IsolatedDatabase {
    const database = this.databases.get(name);
    if (!database) throw new Error(`${name} is not part of this system`);
    return database;
  }

  /** Starts one more instance of a service (a restart, or a competing consumer). */
  async startInstance(
    name: ServiceName,
    extraEnv: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const instance = await ServiceProcess.start({
      service: name,
      env: {
        RABBITMQ_URL: this.credentialsOf(name).rabbitmqUrl,
        DATABASE_URL:
          this.options.databaseUrlFor?.(this.credentialsOf(name).databaseUrl) ??
          this.credentialsOf(name).databaseUrl,
        ...SERVICE_DEFAULT_ENV[name],
        ...this.options.env,
        ...this.options.envFor?.[name],
        ...extraEnv,
      },
    });
    this.processes.set(name, [
      ...this.instances(name).filter((process) => process.running),
      instance,
    ]);
    return instance;
  }

  async stop(): Promise<void> {
    const all = [...this.processes.values()].flat();
    await Promise.all(all.map((process) => process.stop().catch(() => undefined)));
    await Promise.all(
      [...this.databases.values()].map((database) => database.dispose().catch(() => undefined)),
    );
    await this.broker.dispose().catch(() => undefined);
    await removeAccounts([...this.credentials.values()].map((each) => each.account.username));
  }
}

/** One name per service and run for both the broker user and the database role. */
function credentialsFor(
  broker: IsolatedBroker,
  database: IsolatedDatabase,
  service: ServiceName,
): ServiceCredentials {
  const username = database.name;
  const password = randomBytes(12).toString('hex');
  const databaseUrl = new URL(testEnv.postgresUrl);
  databaseUrl.username = username;
  databaseUrl.password = password;
  databaseUrl.pathname = `/${database.name}`;
  return {
    rabbitmqUrl: broker.urlAs(username, password),
    databaseUrl: databaseUrl.toString(),
    account: { service, username, password },
  };
}

/** Broker users and database roles are global: gone with the run that made them. */
export async function removeAccounts(usernames: string[]): Promise<void> {
  const api = new ManagementApi(testEnv.rabbitmqManagementUrl);
  await Promise.all(usernames.map((username) => api.deleteUser(username).catch(() => undefined)));
  const admin = new Client({ connectionString: testEnv.postgresUrl });
  try {
    await admin.connect();
    for (const username of usernames) {
      await admin.query(`DROP ROLE IF EXISTS ${escapeIdentifier(username)}`).catch(() => undefined);
    }
  } catch {
    // The server is away (a chaos test stopped it): the roles stay, harmless and unique.
  } finally {
    await admin.end().catch(() => undefined);
  }
}
