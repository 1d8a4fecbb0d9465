import { TestSystem } from '@shop/testing';
import { ErrorBody, Order, OrderPage, Readiness } from './support/shop-client';

/** The HTTP contract of the orders service: validation, idempotency, paging, health. */
describe('orders HTTP API', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('api', { services: ['orders'] });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const orders = () => system.service('orders');
  const countOrders = async (customerId: string) =>
    (await orders().get<OrderPage>(`/orders?customerId=${customerId}`)).body.total;

  it.each([
    ['an empty body', {}, ['customerId', 'items']],
    ['no items', { customerId: 'dave', items: [] }, ['items must contain at least 1 elements']],
    [
      'a zero quantity',
      { customerId: 'dave', items: [{ sku: 'SKU-0001', quantity: 0 }] },
      ['items.0.quantity must not be less than 1'],
    ],
    [
      'a fractional quantity',
      { customerId: 'dave', items: [{ sku: 'SKU-0001', quantity: 1.5 }] },
      ['items.0.quantity must be an integer'],
    ],
    [
      'an unknown field',
      { customerId: 'dave', items: [{ sku: 'SKU-0001', quantity: 1 }], coupon: 'FREE' },
      ['property coupon should not exist'],
    ],
    [
      'an unknown sku',
      { customerId: 'dave', items: [{ sku: 'SKU-9999', quantity: 1 }] },
      ['items.0.sku: unknown sku "SKU-9999"'],
    ],
    [
      'a repeated sku',
      {
        customerId: 'dave',
        items: [
          { sku: 'SKU-0001', quantity: 1 },
          { sku: 'SKU-0001', quantity: 2 },
        ],
      },
      ['repeated: SKU-0001'],
    ],
  ])(
    'answers 400 with field messages for %s, and writes nothing',
    async (_case, body, expected) => {
      const response = await orders().post<ErrorBody>('/orders', body);

      expect(response.status).toBe(400);
      const messages = ([] as string[]).concat(response.body.message).join('\n');
      for (const fragment of expected) expect(messages).toContain(fragment);
      expect(await countOrders('dave')).toBe(0);
    },
  );

  it('answers 400 for malformed JSON', async () => {
    const response = await orders().post<ErrorBody>('/orders', '{"customerId": ');
    expect(response.status).toBe(400);
  });

  it('answers 413 for an oversized body', async () => {
    const response = await orders().post('/orders', { customerId: 'x'.repeat(100_000), items: [] });
    expect(response.status).toBe(413);
  });

  it('an Idempotency-Key makes a retried POST return the first order instead of a second one', async () => {
    const body = { customerId: 'erin', items: [{ sku: 'SKU-0002', quantity: 1 }] };
    const headers = { 'Idempotency-Key': 'erin-checkout-1' };

    const first = await orders().post<Order>('/orders', body, headers);
    const retry = await orders().post<Order>('/orders', body, headers);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.orderId).toBe(first.body.orderId);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await countOrders('erin')).toBe(1);
  });

  it('refuses an Idempotency-Key reused for a different order with 422', async () => {
    const headers = { 'Idempotency-Key': 'frank-checkout-1' };
    await orders().post(
      '/orders',
      { customerId: 'frank', items: [{ sku: 'SKU-0002', quantity: 1 }] },
      headers,
    );

    const reused = await orders().post<ErrorBody>(
      '/orders',
      { customerId: 'frank', items: [{ sku: 'SKU-0002', quantity: 5 }] },
      headers,
    );

    expect(reused.status).toBe(422);
    expect(await countOrders('frank')).toBe(1);
  });

  it('pages and filters GET /orders by status and customerId', async () => {
    for (let i = 0; i < 3; i++) {
      await orders().post('/orders', {
        customerId: 'grace',
        items: [{ sku: 'SKU-0001', quantity: 1 + i }],
      });
    }

    const firstPage = await orders().get<OrderPage>(
      '/orders?customerId=grace&status=PENDING&limit=2',
    );
    const secondPage = await orders().get<OrderPage>(
      '/orders?customerId=grace&status=PENDING&limit=2&offset=2',
    );

    expect(firstPage.body).toMatchObject({
      total: 3,
      totalIsLowerBound: false,
      limit: 2,
      offset: 0,
    });
    expect(firstPage.body.items).toHaveLength(2);
    expect(secondPage.body.items).toHaveLength(1);
    const ids = [...firstPage.body.items, ...secondPage.body.items].map((order) => order.orderId);
    expect(new Set(ids).size).toBe(3);
    expect(
      (await orders().get<OrderPage>('/orders?customerId=grace&status=CONFIRMED')).body.total,
    ).toBe(0);
  });

  it('rejects bad list filters with 400', async () => {
    expect((await orders().get('/orders?status=SHIPPED')).status).toBe(400);
    expect((await orders().get('/orders?limit=1000')).status).toBe(400);
  });

  it('refuses an offset beyond 10,000 with 400, naming the bound', async () => {
    const response = await orders().get<ErrorBody>('/orders?offset=10001');

    expect(response.status).toBe(400);
    expect(([] as string[]).concat(response.body.message)).toContain(
      'offset must not be greater than 10000',
    );
    expect((await orders().get('/orders?offset=10000')).status).toBe(200);
  });

  it('counts at most 10,000 matching orders, and says when total is only a lower bound', async () => {
    // Written straight to the table: 10,001 orders through HTTP would take minutes.
    await system.db('orders').query(
      `INSERT INTO orders (id, customer_id, status, total_cents, currency, correlation_id)
       SELECT gen_random_uuid(), 'heavy-buyer', 'CONFIRMED', 100, 'EUR', gen_random_uuid()
       FROM generate_series(1, 10001)`,
    );

    const firstPage = await orders().get<OrderPage>('/orders?customerId=heavy-buyer&limit=1');
    const lastPage = await orders().get<OrderPage>(
      '/orders?customerId=heavy-buyer&limit=5&offset=10000',
    );

    expect(firstPage.body).toMatchObject({ total: 10_000, totalIsLowerBound: true, limit: 1 });
    expect(firstPage.body.items).toHaveLength(1);
    expect(lastPage.body).toMatchObject({ total: 10_000, totalIsLowerBound: true });
    expect(lastPage.body.items).toHaveLength(1);
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    expect((await orders().get('/orders/7d0f3c3e-9d0a-4d67-9a43-7b0e2f1c9b11')).status).toBe(404);
    expect((await orders().get('/orders/not-a-uuid')).status).toBe(400);
  });

  it('reports liveness, readiness (database, broker, consumer and the monitoring bus) and Prometheus metrics', async () => {
    expect((await orders().get('/health/live')).status).toBe(200);
    const ready = await orders().get<Readiness>('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toEqual({
      database: { status: 'up' },
      rabbitmq: { status: 'up' },
      consumer: { status: 'up', circuit: 'closed' },
      // Informative only: heartbeats and bus logs never make a service unready.
      monitoring: expect.objectContaining({
        status: 'up',
        publishing: true,
        instanceId: expect.stringMatching(/^orders@.+:\d+$/),
      }),
      // Informative only too: the faults switched on at run time (none here).
      faults: { status: 'up', active: [] },
    });
    const metrics = await fetch(`${orders().baseUrl}/metrics`).then((response) => response.text());
    expect(metrics).toContain('shop_outbox_backlog{service="orders"}');
    expect(metrics).toContain('shop_consumer_circuit_open{service="orders"} 0');
    expect(metrics).toContain('process_resident_memory_bytes');
  });
});
