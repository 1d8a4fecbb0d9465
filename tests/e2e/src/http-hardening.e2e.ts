import { freePort, ServiceName, TestSystem } from '@shop/testing';

const SERVICES: ServiceName[] = ['orders', 'billing', 'inventory', 'payments', 'ops'];
const RATE_LIMIT = 3;

describe('HTTP hardening', () => {
  let system: TestSystem;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    system = await TestSystem.start('http-hardening', {
      services: SERVICES,
      envFor: {
        orders: { ORDERS_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
        // billing as it runs in compose: production mode, metrics on their own port.
        billing: { NODE_ENV: 'production', METRICS_PORT: String(metricsPort) },
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it.each(SERVICES)(
    '%s answers with safe headers (helmet), and says nothing of its framework',
    async (service) => {
      const response = await fetch(`${system.service(service).baseUrl}/health/live`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      expect(response.headers.get('x-powered-by')).toBeNull();
    },
  );

  it('limits POST /orders per client: 429 with Retry-After beyond the limit, and no order written', async () => {
    const orders = system.service('orders');
    const place = () =>
      orders.post('/orders', { customerId: 'rita', items: [{ sku: 'SKU-0001', quantity: 1 }] });
    for (let i = 0; i < RATE_LIMIT; i++) expect((await place()).status).toBe(201);

    const refused = await place();

    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(refused.body)).toContain(
      `too many orders from this address: at most ${RATE_LIMIT} a minute`,
    );
    const [{ count }] = await system
      .db('orders')
      .query<{ count: string }>("SELECT count(*) FROM orders WHERE customer_id = 'rita'");
    expect(Number(count)).toBe(RATE_LIMIT);
    // Reads are not limited.
    expect((await orders.get('/orders?customerId=rita')).status).toBe(200);
  });

  it('serves /metrics on METRICS_PORT only, never on the public port, in production', async () => {
    const billing = system.service('billing');
    expect((await billing.get('/metrics')).status).toBe(404);
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('shop_messages_consumed_total{');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/health/ready`)).status).toBe(404);
    // Readiness stays on the public port, for the orchestrator.
    expect((await billing.get('/health/ready')).status).toBe(200);
  });
});
