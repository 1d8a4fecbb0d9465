import { InvalidConfigError, parseConfig, serviceConfigSchema } from './service-config';

const schema = serviceConfigSchema('billing', 3002);

describe('service configuration', () => {
  it('fills every default when nothing is set', () => {
    expect(parseConfig(schema, {}, 'billing')).toEqual({
      PORT: 3002,
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
      DATABASE_URL: 'postgres://postgres@localhost:5432/billing',
      DATABASE_POOL_SIZE: 10,
      RABBITMQ_PREFETCH: 20,
      RETRY_MAX_ATTEMPTS: 5,
      RETRY_DELAYS_MS: [1000, 5000, 30000],
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_TIMEOUT_MS: 20000,
      OUTBOX_POLL_INTERVAL_MS: 1000,
      MESSAGE_RETENTION_DAYS: 7,
      HEARTBEAT_INTERVAL_MS: 10000,
      LOG_BUS_LEVEL: 'warn',
    });
  });

  it('reads numbers and the delay list from strings, and treats empty variables as unset', () => {
    const config = parseConfig(
      schema,
      { PORT: '4000', RETRY_DELAYS_MS: ' 200, 400 ,800', RABBITMQ_PREFETCH: '' },
      'billing',
    );
    expect(config).toMatchObject({
      PORT: 4000,
      RETRY_DELAYS_MS: [200, 400, 800],
      RABBITMQ_PREFETCH: 20,
    });
  });

  it.each([
    ['RABBITMQ_PREFETCH', '0', 'RABBITMQ_PREFETCH="0"'],
    ['RETRY_DELAYS_MS', '1s,5s', 'comma-separated milliseconds'],
    ['RETRY_DELAYS_MS', '0,100', 'every delay must be above 0'],
    ['RABBITMQ_URL', 'http://localhost:5672', 'RABBITMQ_URL'],
    ['DATABASE_URL', 'mysql://localhost/billing', 'DATABASE_URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['PORT', 'eighty', 'PORT'],
    ['MESSAGE_RETENTION_DAYS', '0', 'MESSAGE_RETENTION_DAYS="0"'],
    ['HEARTBEAT_INTERVAL_MS', '50', 'HEARTBEAT_INTERVAL_MS="50"'],
    ['LOG_BUS_LEVEL', 'warning', 'LOG_BUS_LEVEL'],
  ])('refuses %s=%s, naming the variable', (name, value, expected) => {
    expect(() => parseConfig(schema, { [name]: value }, 'billing')).toThrow(InvalidConfigError);
    expect(() => parseConfig(schema, { [name]: value }, 'billing')).toThrow(expected);
  });

  it('lists every bad variable at once', () => {
    expect(() => parseConfig(schema, { PORT: '-1', LOG_LEVEL: 'loud' }, 'billing')).toThrow(
      /invalid configuration for billing:\n {2}PORT="-1".*\n {2}LOG_LEVEL="loud"/,
    );
  });
});
