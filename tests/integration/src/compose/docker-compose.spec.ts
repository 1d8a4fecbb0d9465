import { parseConfig, serviceConfigSchema } from '@shop/platform';
import { isOpenTelemetryVariable } from '@shop/tracing';
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
}

const compose = parse(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'docker-compose.yml'), 'utf8'),
  {
    merge: true,
  },
) as { services: Record<string, ComposeService> };
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
  'GATEWAY_FAILURE_RATE',
  'GATEWAY_LATENCY_MS',
  'OPS_TOKEN',
  'OPS_TOKENS',
];
const appServices = Object.entries(compose.services).filter(
  ([, service]) => service.environment?.['SERVICE'],
);

/** docker-compose.yml must run the services the way the tests do: same variables, same checks. */
describe('docker-compose.yml', () => {
  it('runs each of the four services and ops', () => {
    expect(new Set(appServices.map(([, service]) => service.environment?.['SERVICE']))).toEqual(
      new Set(Object.keys(DEFAULT_PORTS)),
    );
  });

  it.each(appServices)(
    '%s: sets only variables the service reads, with values it accepts',
    (_name, service) => {
      const env = service.environment ?? {};
      const name = env['SERVICE'];
      const schema = serviceConfigSchema(name, DEFAULT_PORTS[name]);
      const known = [...Object.keys(schema.shape), ...SERVICE_SPECIFIC];
      // OTEL_* variables are read by the tracing SDK (libs/tracing), not the service config.
      expect(
        Object.keys(env).filter((key) => !known.includes(key) && !isOpenTelemetryVariable(key)),
      ).toEqual([]);

      const config = parseConfig(schema, env, name);
      expect(config.PORT).toBe(DEFAULT_PORTS[name]);
      expect(new URL(config.DATABASE_URL).pathname).toBe(`/${name}`);
      expect(new URL(config.RABBITMQ_URL).hostname).toBe('rabbitmq');
    },
  );

  it.each(appServices)(
    '%s: starts only once RabbitMQ and PostgreSQL are healthy, and has a healthcheck',
    (_name, service) => {
      expect(service.depends_on).toEqual({
        rabbitmq: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      expect(service.healthcheck?.test).toEqual(['CMD', 'node', 'tools/healthcheck.mjs']);
    },
  );

  it('ops: no default token; OPS_TOKEN from .env, else one generated on first start and kept in a volume Alertmanager reads too', () => {
    const ops = compose.services['ops'];
    expect(ops.environment?.['OPS_TOKEN']).toBe('${OPS_TOKEN:-}');
    expect(ops.command).toEqual(['tools/ops-entrypoint.sh']);
    expect(ops.volumes).toContain('ops-token:/run/ops');
    expect(compose.services['alertmanager'].volumes).toContain('ops-token:/run/ops:ro');
    expect(ops.ports).toEqual(['3000:3000']);
    const entrypoint = readFileSync(
      join(__dirname, '..', '..', '..', '..', 'tools', 'ops-entrypoint.sh'),
      'utf8',
    );
    expect(entrypoint).toContain('randomBytes(24)');
    expect(entrypoint).toContain('exec node dist/apps/ops/main.js');
    const dockerfile = readFileSync(join(__dirname, '..', '..', '..', '..', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('tools/ops-entrypoint.sh');
  });

  it('publishes the management UI and gives the infrastructure healthchecks', () => {
    expect(compose.services['rabbitmq'].ports).toContain('15672:15672');
    expect(compose.services['rabbitmq'].healthcheck).toBeDefined();
    expect(compose.services['postgres'].healthcheck).toBeDefined();
  });

  it('keeps RabbitMQ durable queues and persistent messages when its container is recreated', () => {
    // The node's data directory is named after the hostname: a fixed one, on a volume.
    expect(compose.services['rabbitmq'].hostname).toBe('rabbitmq');
    expect(compose.services['rabbitmq'].volumes).toContain('rabbitmq-data:/var/lib/rabbitmq');
  });

  it('runs the built service named by SERVICE, as npm start does', () => {
    const dockerfile = readFileSync(join(__dirname, '..', '..', '..', '..', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('node dist/apps/${SERVICE}/main.js');
    expect(dockerfile).toContain('npx nx run-many -t build --projects=tag:type:app');
  });
});
