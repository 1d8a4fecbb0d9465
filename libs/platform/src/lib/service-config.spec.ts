import {
  InvalidConfigError,
  parseConfig,
  readServiceConfig,
  serviceConfigSchema,
} from './service-config';

const schema = serviceConfigSchema('billing', 3002);

describe('service configuration', () => {
  it('fills every default when nothing is set', () => {
    expect(parseConfig(schema, {}, 'billing')).toEqual({
      PORT: 3002,
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
      DATABASE_URL: 'postgres://postgres@localhost:5432/billing',
      DATABASE_POOL_SIZE: 10,
      RABBITMQ_PREFETCH: 20,
      RABBITMQ_QUEUE_TYPE: 'quorum',
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
    ['RABBITMQ_QUEUE_TYPE', 'mirrored', 'RABBITMQ_QUEUE_TYPE="mirrored"'],
    ['RABBITMQ_URL', 'amqp://a@node-1:5672,node-2:5672', 'separated by commas'],
  ])('refuses %s=%s, naming the variable', (name, value, expected) => {
    expect(() => parseConfig(schema, { [name]: value }, 'billing')).toThrow(InvalidConfigError);
    expect(() => parseConfig(schema, { [name]: value }, 'billing')).toThrow(expected);
  });

  it("takes a cluster's nodes in RABBITMQ_URL as whole URLs separated by commas", () => {
    const nodes = 'amqp://billing:x@node-1:5672/shop , amqp://billing:x@node-2:5672/shop';
    expect(parseConfig(schema, { RABBITMQ_URL: nodes }, 'billing').RABBITMQ_URL).toBe(
      'amqp://billing:x@node-1:5672/shop,amqp://billing:x@node-2:5672/shop',
    );
  });

  it('lists every bad variable at once', () => {
    expect(() => parseConfig(schema, { PORT: '-1', LOG_LEVEL: 'loud' }, 'billing')).toThrow(
      /invalid configuration for billing:\n {2}PORT="-1".*\n {2}LOG_LEVEL="loud"/,
    );
  });

  it('in production, refuses to start without RABBITMQ_URL and DATABASE_URL, saying there are no development defaults', () => {
    const start = () => readServiceConfig('billing', 3002, { NODE_ENV: 'production' });
    expect(start).toThrow(InvalidConfigError);
    expect(start).toThrow(
      'RABBITMQ_URL is not set (NODE_ENV=production has no development defaults)',
    );
    expect(start).toThrow(
      'DATABASE_URL is not set (NODE_ENV=production has no development defaults)',
    );
  });

  it('in production, serves metrics on 9464 unless METRICS_PORT says otherwise', () => {
    const env = {
      NODE_ENV: 'production',
      RABBITMQ_URL: 'amqp://billing:secret@rabbitmq:5672',
      DATABASE_URL: 'postgres://billing:secret@postgres:5432/billing',
    };
    expect(readServiceConfig('billing', 3002, env)).toMatchObject({
      PRODUCTION: true,
      METRICS_PORT: 9464,
      DEVELOPMENT_DEFAULTS: [],
    });
    expect(readServiceConfig('billing', 3002, { ...env, METRICS_PORT: '9100' }).METRICS_PORT).toBe(
      9100,
    );
  });

  it('in development, names the development defaults in use, to be printed at start-up', () => {
    expect(readServiceConfig('billing', 3002, {}).DEVELOPMENT_DEFAULTS).toEqual([
      'RABBITMQ_URL',
      'DATABASE_URL',
    ]);
    expect(
      readServiceConfig('billing', 3002, { RABBITMQ_URL: 'amqp://billing:x@localhost:5672' })
        .DEVELOPMENT_DEFAULTS,
    ).toEqual(['DATABASE_URL']);
  });

  it('never quotes a secret when it refuses a value: URLs lose their password', () => {
    const refuse = () =>
      parseConfig(
        schema,
        { RABBITMQ_URL: 'http://billing:hunter2@rabbitmq:5672', PORT: 'x' },
        'billing',
      );
    expect(refuse).toThrow('RABBITMQ_URL="http://billing:***@rabbitmq:5672');
    expect(refuse).not.toThrow(/hunter2/);
  });
});
