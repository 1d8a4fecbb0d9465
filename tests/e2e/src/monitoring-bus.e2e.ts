import { MonitoringSpy, ServiceProcess, TcpProxy, TestSystem, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Readiness } from './support/shop-client';

const HEARTBEAT_INTERVAL_MS = 500;

/** A request billing answers 400 to, which pino-http logs at warn with the request's correlation id. */
async function badInvoiceQuery(instance: ServiceProcess, correlationId: string): Promise<number> {
  const response = await fetch(`${instance.baseUrl}/invoices?orderId=not-a-uuid`, {
    headers: { 'x-correlation-id': correlationId },
  });
  return response.status;
}

describe('heartbeats and logs on shop.monitoring', () => {
  let system: TestSystem;
  let spy: MonitoringSpy;

  beforeAll(async () => {
    system = await TestSystem.start('monitoring', {
      services: ['billing'],
      env: { HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS) },
    });
    spy = await MonitoringSpy.start(system.broker.url, ['heartbeat.*', 'log.#']);
  });

  afterAll(async () => {
    await spy?.stop();
    await system?.stop();
  });

  it('each instance beats heartbeat.<service> with its id and status, expiring after three intervals', async () => {
    const beats = await waitFor(
      () => spy.messages.filter((message) => message.routingKey === 'heartbeat.billing'),
      (seen) => seen.length >= 2,
      { description: 'two heartbeats from billing' },
    );

    const [first, second] = beats;
    expect(first.body).toEqual({
      service: 'billing',
      instanceId: expect.stringMatching(/^billing@.+:\d+$/),
      status: 'up',
      startedAt: expect.any(String),
      sentAt: expect.any(String),
    });
    expect(first.properties.expiration).toBe(String(3 * HEARTBEAT_INTERVAL_MS));
    expect(second.body['instanceId']).toBe(first.body['instanceId']);
    expect(second.body['startedAt']).toBe(first.body['startedAt']);
    expect(Date.parse(String(second.body['sentAt']))).toBeGreaterThan(
      Date.parse(String(first.body['sentAt'])),
    );
    expect(
      await system.service('billing').metric('shop_bus_messages_published_total', {
        kind: 'heartbeat',
        routed: 'true',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('a warn line arrives on log.billing.warn as GELF 1.1 carrying the correlation id', async () => {
    const correlationId = randomUUID();
    expect(await badInvoiceQuery(system.service('billing'), correlationId)).toBe(400);

    const log = await spy.waitFor(
      (message) => message.body['_correlation_id'] === correlationId,
      'the warn line of the bad request',
    );

    expect(log.routingKey).toBe('log.billing.warn');
    expect(log.body).toMatchObject({
      version: '1.1',
      host: expect.any(String),
      short_message: expect.any(String),
      level: 4,
      _service: 'billing',
      _correlation_id: correlationId,
    });
    // Seconds with a fraction, not milliseconds.
    const timestamp = log.body['timestamp'] as number;
    expect(Math.abs(timestamp - Date.now() / 1_000)).toBeLessThan(60);
    // Below LOG_BUS_LEVEL (warn by default), nothing is forwarded: the start-up lines are info.
    expect(spy.messages.filter((message) => message.routingKey === 'log.billing.info')).toEqual([]);
  });
});

describe('heartbeats and bus logs while the broker is unreachable', () => {
  let system: TestSystem;
  let proxy: TcpProxy;
  let spy: MonitoringSpy;
  let billing: ServiceProcess;

  beforeAll(async () => {
    system = await TestSystem.start('monitoring-cut', {
      services: [],
      startLater: ['billing'],
      env: { HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS) },
    });
    proxy = await TcpProxy.forUrl(system.broker.url, 5672);
    billing = await system.startInstance('billing', {
      RABBITMQ_URL: proxy.urlThrough(system.broker.url),
    });
    spy = await MonitoringSpy.start(system.broker.url, ['heartbeat.*']);
  });

  afterAll(async () => {
    proxy?.restore();
    await spy?.stop();
    await system?.stop();
    await proxy?.close();
  });

  const dropped = (kind: string) => billing.metric('shop_bus_messages_dropped_total', { kind });

  it('keeps serving HTTP, says in its health why beats and logs are dropped, counts them, and never logs about it', async () => {
    await spy.waitFor((message) => message.routingKey === 'heartbeat.billing', 'a first beat');
    const outputBefore = billing.logs().length;

    proxy.cut();
    await waitFor(
      async () => ({ heartbeat: await dropped('heartbeat'), log: await dropped('log') }),
      (counts) => counts.heartbeat >= 2 && counts.log >= 1,
      { description: 'dropped heartbeats and log lines (the lost-connection warnings)' },
    );

    const correlationId = randomUUID();
    expect(await badInvoiceQuery(billing, correlationId)).toBe(400);
    expect((await billing.get(`/invoices?orderId=${randomUUID()}`)).status).toBe(200);
    expect((await billing.get('/health/live')).status).toBe(200);
    const ready = await billing.get<Readiness>('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details['rabbitmq']).toMatchObject({
      status: 'down',
      message: expect.stringContaining('publish connection is down'),
    });
    expect(ready.body.details['monitoring']).toMatchObject({
      status: 'up',
      publishing: false,
      droppingBecause: expect.stringContaining('broker-unreachable'),
    });
    // Dropping is counted, never logged: a log about a lost log would be one more to lose.
    const outputDuringCut = billing.logs().slice(outputBefore);
    expect(outputDuringCut).not.toMatch(/shop\.monitoring|log\.billing/);
    expect(billing.running).toBe(true);

    proxy.restore();
    const restoredAt = new Date().toISOString();
    await spy.waitFor(
      (message) =>
        message.routingKey === 'heartbeat.billing' && String(message.body['sentAt']) > restoredAt,
      'a heartbeat after the broker came back',
      { timeoutMs: 30_000 },
    );
    const afterwards = await waitFor(
      () => billing.get<Readiness>('/health/ready'),
      (response) => response.status === 200,
      { description: 'billing ready again', timeoutMs: 30_000 },
    );
    expect(afterwards.body.details['monitoring']).toMatchObject({ publishing: true });
  });
});
