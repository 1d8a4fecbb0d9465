import { isolatedDatabaseUrl, runServiceToExit } from '@shop/testing';

/** Reached by nothing: every process here stops before it talks to a broker. */
const UNUSED_BROKER = 'amqp://billing:unused@127.0.0.1:1/never-used';

describe('production mode (NODE_ENV=production): no development defaults', () => {
  it('refuses to start billing without RABBITMQ_URL and DATABASE_URL, saying what is missing', async () => {
    const exit = await runServiceToExit('billing', { NODE_ENV: 'production' });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('invalid configuration for billing');
    expect(exit.stderr).toContain(
      'RABBITMQ_URL is not set (NODE_ENV=production has no development defaults)',
    );
    expect(exit.stderr).toContain(
      'DATABASE_URL is not set (NODE_ENV=production has no development defaults)',
    );
  });

  it('refuses to start ops without OPS_TOKEN', async () => {
    const exit = await runServiceToExit('ops', {
      NODE_ENV: 'production',
      RABBITMQ_URL: UNUSED_BROKER,
      DATABASE_URL: isolatedDatabaseUrl('ops_no_token').url,
    });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('invalid configuration for ops');
    expect(exit.stderr).toContain('ops refuses to start without a token: set OPS_TOKEN');
  });

  it('refuses to run the setup step without the administrators and every service URL', async () => {
    const exit = await runServiceToExit('setup', { NODE_ENV: 'production' });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('RABBITMQ_ADMIN_URL is not set');
    expect(exit.stderr).toContain('BILLING_RABBITMQ_URL is not set');
  });

  it('never quotes a password from a URL it refuses', async () => {
    const exit = await runServiceToExit('billing', {
      NODE_ENV: 'production',
      RABBITMQ_URL: 'http://billing:hunter2-not-printed@rabbitmq:5672',
      DATABASE_URL: 'postgres://billing:hunter2-not-printed@postgres:5432/billing',
    });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('RABBITMQ_URL="http://billing:***@rabbitmq:5672');
    expect(exit.stdout + exit.stderr).not.toContain('hunter2');
  });
});

describe('development mode: defaults are convenient, and said aloud', () => {
  it('warns at start-up which development default it uses, without its password', async () => {
    // Killed as soon as the warning appears: before it consumes anything anywhere.
    const exit = await runServiceToExit(
      'billing',
      { DATABASE_URL: isolatedDatabaseUrl('dev_defaults').url },
      { until: /RABBITMQ_URL not set/, timeoutMs: 20_000 },
    );

    expect(exit.stdout).toContain(
      'RABBITMQ_URL not set: using the development default amqp://guest:***@localhost:5672 (refused when NODE_ENV=production)',
    );
    expect(exit.stdout).not.toContain('DATABASE_URL not set');
  });
});
