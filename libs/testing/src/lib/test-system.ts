import { createIsolatedBroker, IsolatedBroker } from './isolated-broker';
import { isolatedDatabase, IsolatedDatabase } from './isolated-database';
import { ServiceProcess } from './service-process';

export type ServiceName = 'orders' | 'billing' | 'inventory' | 'payments' | 'ops';

/** The `OPS_TOKEN` every TestSystem gives ops: send it as `Authorization: Bearer <token>`. */
export const OPS_TEST_TOKEN = 'test-ops-token-0123456789abcdef';

/** Ops refuses to start without a token; a test can still override it through `envFor`. */
const SERVICE_DEFAULT_ENV: Partial<Record<ServiceName, Record<string, string>>> = {
  ops: { OPS_TOKEN: OPS_TEST_TOKEN },
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

/**
 * Several services as real processes on a private vhost, each with its own fresh database:
 * the whole system, isolated from every other test run.
 */
export class TestSystem {
  private readonly processes = new Map<ServiceName, ServiceProcess[]>();

  private constructor(
    readonly broker: IsolatedBroker,
    private readonly databases: Map<ServiceName, IsolatedDatabase>,
    private readonly options: TestSystemOptions,
  ) {}

  static async start(label: string, options: TestSystemOptions): Promise<TestSystem> {
    const broker = await createIsolatedBroker(label);
    const databases = new Map(
      [...options.services, ...(options.startLater ?? [])].map((service) => [
        service,
        isolatedDatabase(`${label}_${service}`),
      ]),
    );
    const system = new TestSystem(broker, databases, options);
    try {
      await Promise.all(options.services.map((service) => system.startInstance(service)));
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
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
        RABBITMQ_URL: this.broker.url,
        DATABASE_URL: this.options.databaseUrlFor?.(this.db(name).url) ?? this.db(name).url,
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
  }
}
