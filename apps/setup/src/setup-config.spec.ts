import { setupConfig } from './setup-config';

const SERVICES = ['orders', 'billing', 'inventory', 'payments', 'ops'];

function productionEnv(password = 's3cret'): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    RABBITMQ_ADMIN_URL: `amqp://admin:${password}@rabbitmq:5672`,
    DATABASE_ADMIN_URL: `postgres://postgres:${password}@postgres:5432/postgres`,
  };
  for (const service of SERVICES) {
    const prefix = service.toUpperCase();
    env[`${prefix}_RABBITMQ_URL`] = `amqp://${service}:${password}@rabbitmq:5672`;
    env[`${prefix}_DATABASE_URL`] = `postgres://${service}:${password}@postgres:5432/${service}`;
  }
  return env;
}

describe('the setup step configuration', () => {
  it('in production, refuses to run without every URL, naming each', () => {
    expect(() => setupConfig({ NODE_ENV: 'production' })).toThrow(
      /RABBITMQ_ADMIN_URL is not set \(NODE_ENV=production has no development defaults\)/,
    );
    expect(() => setupConfig({ NODE_ENV: 'production' })).toThrow(/OPS_DATABASE_URL is not set/);
  });

  it('in production, refuses the placeholder passwords of .env.example', () => {
    expect(() => setupConfig(productionEnv('change-me'))).toThrow(
      /placeholder password "change-me".*tools\/compose-env\.sh/,
    );
  });

  it('in production, takes every account from its URL, and derives the management API from the broker URL', () => {
    const config = setupConfig(productionEnv());
    expect(config.developmentDefaults).toEqual([]);
    expect(config.managementUrl).toBe('http://admin:s3cret@rabbitmq:15672/');
    expect(config.services.map((each) => each.service)).toEqual(SERVICES);
    expect(config.services.every((each) => each.rabbitmqUrl && each.databaseUrl)).toBe(true);
  });

  it('in development, defaults the administrators to localhost, and says so', () => {
    const config = setupConfig({});
    expect(config.rabbitmqAdminUrl).toBe('amqp://guest:guest@localhost:5672');
    expect(config.developmentDefaults).toEqual(['RABBITMQ_ADMIN_URL', 'DATABASE_ADMIN_URL']);
    expect(config.services.every((each) => each.rabbitmqUrl === undefined)).toBe(true);
  });

  it('never quotes a password when it refuses a value', () => {
    const env = {
      ...productionEnv('hunter2-secret'),
      ORDERS_RABBITMQ_URL: 'http://orders:hunter2-secret@x',
    };
    expect(() => setupConfig(env)).toThrow(/ORDERS_RABBITMQ_URL="http:\/\/orders:\*\*\*@x\/?"/);
    expect(() => setupConfig(env)).not.toThrow(/hunter2/);
  });
});
