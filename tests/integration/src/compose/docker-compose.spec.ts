import { parseConfig, serviceConfigSchema } from '@shop/platform';
import { brokerUrls } from '@shop/rmq';
import { isOpenTelemetryVariable } from '@shop/tracing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  hostname?: string;
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  profiles?: string[];
  command?: string[];
  restart?: string;
  read_only?: boolean;
  stop_grace_period?: string;
}

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** `docker-compose config` with these profiles, interpolated from .env.example. */
function composeConfig(profiles: string[], ...options: string[]): string {
  return execFileSync(
    'docker-compose',
    [
      '--env-file',
      '.env.example',
      '-f',
      'docker-compose.yml',
      ...profiles.flatMap((profile) => ['--profile', profile]),
      'config',
      ...options,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
}

/** What compose really runs: anchors merged, variables interpolated from .env.example. */
const compose = parse(composeConfig(['observability', 'competing-consumers', 'cluster'])) as {
  services: Record<string, ComposeService>;
};
const DEFAULT_PORTS: Record<string, number> = {
  orders: 3001,
  billing: 3002,
  inventory: 3003,
  payments: 3004,
  ops: 3000,
};
/** Variables read by one service only (payments' simulated gateway, ops' tokens), on top of the common ones. */
const SERVICE_SPECIFIC = [
  'SERVICE',
  'NODE_ENV',
  'GATEWAY_FAILURE_RATE',
  'GATEWAY_LATENCY_MS',
  'OPS_TOKEN',
  'OPS_TOKENS',
  // The fault switches (libs/platform/src/lib/faults/faults.config.ts), off unless .env says.
  'ADMIN_API_ENABLED',
  'ADMIN_TOKEN',
];
const appServices = Object.entries(compose.services).filter(
  ([, service]) => service.environment?.['SERVICE'],
);
const DRAIN_TIMEOUT_S = 20;
const RABBITMQ_NODES = ['rabbitmq', 'rabbitmq-2', 'rabbitmq-3'];

/** docker-compose.yml must run the services the way the tests do: same variables, same checks. */
describe('docker-compose.yml', () => {
  it('runs each of the four services and ops', () => {
    expect(new Set(appServices.map(([, service]) => service.environment?.['SERVICE']))).toEqual(
      new Set(Object.keys(DEFAULT_PORTS)),
    );
  });

  it.each(appServices)(
    '%s: in production mode, sets only variables the service reads, with values it accepts, as its own broker user and database role',
    (_name, service) => {
      const env = service.environment ?? {};
      const name = env['SERVICE'];
      expect(env['NODE_ENV']).toBe('production');
      const schema = serviceConfigSchema(name, DEFAULT_PORTS[name], { production: true });
      const known = [...Object.keys(schema.shape), ...SERVICE_SPECIFIC];
      // OTEL_* variables are read by the tracing SDK (libs/tracing), not the service config.
      expect(
        Object.keys(env).filter((key) => !known.includes(key) && !isOpenTelemetryVariable(key)),
      ).toEqual([]);

      const config = parseConfig(schema, env, name);
      expect(config.PORT).toBe(DEFAULT_PORTS[name]);
      expect(config.METRICS_PORT).toBe(9464);
      const database = new URL(config.DATABASE_URL);
      expect(database.pathname).toBe(`/${name}`);
      expect(database.username).toBe(name);
      // Every node of the cluster profile; without it only rabbitmq answers, and is used.
      const nodes = brokerUrls(config.RABBITMQ_URL).map((url) => new URL(url));
      expect(nodes.map((node) => node.hostname)).toEqual(RABBITMQ_NODES);
      expect(nodes.map((node) => node.username)).toEqual(RABBITMQ_NODES.map(() => name));
      expect(config.RABBITMQ_QUEUE_TYPE).toBe('quorum');
    },
  );

  it.each(appServices)(
    '%s: starts once the setup step succeeded, has a healthcheck, a grace period beyond its drain timeout, and a read-only file system',
    (_name, service) => {
      expect(service.depends_on).toEqual({
        setup: { condition: 'service_completed_successfully' },
      });
      expect(service.healthcheck?.test).toEqual(['CMD', 'node', 'tools/healthcheck.mjs']);
      expect(parseInt(service.stop_grace_period ?? '0', 10)).toBeGreaterThan(DRAIN_TIMEOUT_S);
      expect(service.read_only).toBe(true);
    },
  );

  it('runs the setup step once RabbitMQ and PostgreSQL are healthy, for exactly the accounts the services use', () => {
    const setup = compose.services['setup'];
    expect(setup.command).toEqual(['node', 'dist/apps/setup/main.js']);
    expect(setup.depends_on).toEqual({
      rabbitmq: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
    const env = setup.environment ?? {};
    for (const [, service] of appServices) {
      const name = service.environment!['SERVICE'];
      expect(env[`${name.toUpperCase()}_RABBITMQ_URL`]).toBe(service.environment!['RABBITMQ_URL']);
      expect(env[`${name.toUpperCase()}_DATABASE_URL`]).toBe(service.environment!['DATABASE_URL']);
    }
    expect(new URL(env['RABBITMQ_ADMIN_URL']).username).toBe('admin');
    expect(new URL(env['DATABASE_ADMIN_URL']).username).toBe('postgres');
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => `${name} ${port}`),
    );
    expect(published.length).toBeGreaterThan(8);
    expect(published.filter((port) => !/ 127\.0\.0\.1:/.test(port))).toEqual([]);
  });

  it('takes every credential from .env: none is written in the file, .env.example lists them all, .env is never committed', () => {
    const file = read('docker-compose.yml');
    const variables = [...file.matchAll(/\$\{([A-Z_]+)/g)].map((match) => match[1]);
    const example = read('.env.example');
    for (const variable of new Set(variables)) {
      expect(example).toMatch(new RegExp(`^${variable}=`, 'm'));
    }
    for (const [, service] of Object.entries(compose.services)) {
      for (const value of Object.values(service.environment ?? {})) {
        if (!/^(amqp|postgres|http):/.test(value)) continue;
        // Interpolated from .env.example: the placeholder, never a password of the file's own.
        for (const url of value.split(',')) {
          expect(decodeURIComponent(new URL(url).password)).toBe('change-me');
        }
      }
      if (service.environment?.['RABBITMQ_ERLANG_COOKIE'] !== undefined) {
        expect(service.environment['RABBITMQ_ERLANG_COOKIE']).toBe('change-me');
      }
    }
    expect(read('.gitignore')).toMatch(/^\.env$/m);
  });

  it('ops: no default token; OPS_TOKEN from .env, else one generated on first start and kept in a volume Alertmanager reads too', () => {
    const ops = compose.services['ops'];
    expect(ops.environment?.['OPS_TOKEN']).toBe('');
    expect(ops.command).toEqual(['tools/ops-entrypoint.sh']);
    expect(ops.volumes?.join(' ')).toContain('ops-token:/run/ops');
    expect(compose.services['alertmanager'].volumes?.join(' ')).toContain('ops-token:/run/ops:ro');
    const entrypoint = read('tools/ops-entrypoint.sh');
    expect(entrypoint).toContain('randomBytes(24)');
    expect(entrypoint).toContain('exec node dist/apps/ops/main.js');
    expect(read('Dockerfile')).toContain('tools/ops-entrypoint.sh');
  });

  it.each(appServices)(
    '%s: fault switches off unless .env turns them on (ADMIN_API_ENABLED, ADMIN_TOKEN)',
    (_name, service) => {
      expect(service.environment?.['ADMIN_API_ENABLED']).toBe('false');
      expect(service.environment?.['ADMIN_TOKEN']).toBe('');
    },
  );

  it('publishes the management UI and gives the infrastructure healthchecks', () => {
    expect(compose.services['rabbitmq'].ports).toContain('127.0.0.1:15672:15672/tcp');
    expect(compose.services['rabbitmq'].healthcheck).toBeDefined();
    expect(compose.services['postgres'].healthcheck).toBeDefined();
  });

  it('cluster profile: two more nodes join rabbitmq by classic config peer discovery, sharing its cookie and queue settings, and the queues grow onto them', () => {
    const nodes = RABBITMQ_NODES.map((name) => compose.services[name]);
    expect(nodes.map((node) => node.hostname)).toEqual(RABBITMQ_NODES);
    expect(nodes.map((node) => node.profiles)).toEqual([undefined, ['cluster'], ['cluster']]);
    for (const node of nodes) {
      expect(node.environment?.['RABBITMQ_ERLANG_COOKIE']).toBe('change-me');
      expect(node.command).toEqual(['sh', '/etc/rabbitmq/with-cookie.sh']);
      expect(node.volumes?.join(' ')).toContain(
        'config/rabbitmq/cluster-node.conf:/etc/rabbitmq/conf.d/20-cluster-node.conf:ro',
      );
    }
    for (const joining of nodes.slice(1)) {
      expect(joining.depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' } });
      expect(joining.volumes?.join(' ')).toContain('/etc/rabbitmq/conf.d/30-cluster-join.conf:ro');
    }
    expect(read('config/rabbitmq/cluster-join.conf')).toContain(
      'cluster_formation.classic_config.nodes.1 = rabbit@rabbitmq',
    );
    const grow = compose.services['rabbitmq-cluster-grow'];
    expect(grow.profiles).toEqual(['cluster']);
    expect(grow.restart).toBe('no');
    expect(grow.depends_on).toEqual({
      'rabbitmq-2': { condition: 'service_healthy' },
      'rabbitmq-3': { condition: 'service_healthy' },
      setup: { condition: 'service_completed_successfully' },
    });
    expect(read('config/rabbitmq/cluster-grow.sh')).toContain(
      'rabbitmq-queues -n rabbit@rabbitmq rebalance quorum',
    );
    // The profile on its own is valid too (docker-compose exits non-zero otherwise).
    composeConfig(['cluster'], '-q');
  });

  it('keeps RabbitMQ durable queues and persistent messages when its container is recreated', () => {
    // The node's data directory is named after the hostname: a fixed one, on a volume.
    expect(compose.services['rabbitmq'].hostname).toBe('rabbitmq');
    expect(compose.services['rabbitmq'].volumes?.join(' ')).toContain(
      'rabbitmq-data:/var/lib/rabbitmq',
    );
  });

  it('builds from the lockfile and runs the built service named by SERVICE as the non-root user, as npm start does', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain('RUN npm ci ');
    expect(dockerfile).toContain('npm ci --omit=dev --ignore-scripts');
    expect(dockerfile).toContain('node dist/apps/${SERVICE}/main.js');
    expect(dockerfile).toContain('npx nx run-many -t build --projects=tag:type:app');
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
