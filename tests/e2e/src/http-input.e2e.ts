import { OPS_TEST_TOKEN, ServiceName, TestSystem } from '@shop/testing';

/**
 * Input PostgreSQL would refuse (NUL bytes, invalid UTF-8, lone surrogates) or that is
 * absurdly long gets a 400 on every route of every service, never a 500. The routes are read
 * from what each service reports it mapped, so a new route fails this test until it is in the
 * table below.
 */
const SERVICES: ServiceName[] = ['orders', 'billing', 'inventory', 'payments', 'ops'];

const BAD_TEXT = {
  'a NUL byte': '%00',
  'invalid UTF-8 (an encoded surrogate)': '%ED%A0%80',
  'an over-long value': 'a'.repeat(2_000),
};

const BAD_BODIES: Record<string, string> = {
  'a NUL byte in customerId':
    '{"customerId":"a\\u0000b","items":[{"sku":"SKU-0001","quantity":1}]}',
  'a NUL byte in a sku': '{"customerId":"nul","items":[{"sku":"SKU-0001\\u0000","quantity":1}]}',
  'a lone surrogate in customerId':
    '{"customerId":"x\\ud800","items":[{"sku":"SKU-0001","quantity":1}]}',
  'a NUL byte in a field name':
    '{"customerId":"nul","items":[{"sku":"SKU-0001","quantity":1}],"\\u0000":1}',
};

/** Every route, with the query parameters it reads and whether it takes a JSON body. */
const ROUTES: Record<string, { query: string[]; body?: boolean }> = {
  'GET /orders': { query: ['status', 'customerId', 'limit', 'offset'] },
  'GET /orders/:orderId': { query: [] },
  'POST /orders': { query: [], body: true },
  'GET /invoices': { query: ['orderId'] },
  'GET /payments': { query: ['orderId'] },
  'GET /products': { query: [] },
  'GET /products/:sku': { query: [] },
  'GET /reservations': { query: ['orderId'] },
  'GET /': { query: [] },
  'GET /console/:file': { query: [] },
  'GET /api/dead-letters': {
    query: ['service', 'eventType', 'reason', 'status', 'q', 'from', 'to', 'groupId', 'limit'],
  },
  'GET /api/dead-letters/:id': { query: [] },
  'POST /api/dead-letters/:id/retry': { query: [], body: true },
  'POST /api/dead-letters/:id/archive': { query: [], body: true },
  'POST /api/dead-letters/:id/unarchive': { query: [], body: true },
  'POST /api/dead-letters/retry': { query: [], body: true },
  'GET /api/groups': { query: ['status'] },
  'GET /api/audit': { query: ['limit', 'offset'] },
  'GET /api/messages': { query: ['orderId', 'correlationId', 'eventId'] },
  'GET /api/retry-jobs': { query: [] },
  'GET /api/retry-jobs/:id': { query: [] },
  'GET /api/services': { query: [] },
  'POST /api/alerts': { query: [], body: true },
  'GET /health/live': { query: [] },
  'GET /health/ready': { query: [] },
  'GET /metrics': { query: [] },
  'GET /admin/faults': { query: [] },
  'PATCH /admin/faults': { query: [], body: true },
  'DELETE /admin/faults': { query: [] },
};

interface Probe {
  service: ServiceName;
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  label: string;
}

function probesFor(service: ServiceName, route: string): Probe[] {
  const [method, path] = route.split(' ') as ['GET' | 'POST', string];
  const spec = ROUTES[route];
  const probes: Probe[] = [];
  const validBody = '{"customerId":"probe","items":[{"sku":"SKU-0001","quantity":1}]}';
  const send = (url: string, label: string, body = spec.body ? validBody : undefined) =>
    probes.push({ service, method, url, body, label: `${route}: ${label}` });
  const concrete = path.replace(/:[A-Za-z]+/g, 'x');
  for (const [what, text] of Object.entries(BAD_TEXT)) {
    for (const param of path.match(/:[A-Za-z]+/g) ?? [])
      send(path.replace(param, text), `${what} in ${param}`);
    for (const name of spec.query.length ? spec.query : ['anything'])
      send(`${concrete}?${name}=${text}`, `${what} in ?${name}`);
  }
  if (spec.body) {
    for (const [what, body] of Object.entries(BAD_BODIES)) send(concrete, what, body);
  }
  return probes;
}

describe('HTTP input PostgreSQL would refuse', () => {
  let system: TestSystem;
  const mapped = new Map<ServiceName, string[]>();

  beforeAll(async () => {
    system = await TestSystem.start('input', { services: SERVICES });
    for (const service of SERVICES) {
      const routes = [
        ...system
          .service(service)
          .logs()
          .matchAll(/Mapped \{([^,]+), (\w+)\} route/g),
      ];
      mapped.set(
        service,
        routes.map(([, path, method]) => `${method} ${path}`),
      );
    }
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('the table below covers every route each service mapped', () => {
    const all = [...new Set([...mapped.values()].flat())].sort();
    expect(all.length).toBeGreaterThan(0);
    expect(all).toEqual(Object.keys(ROUTES).sort());
  });

  it('answers 400 with a message, never 500, on every route of every service', async () => {
    const probes = SERVICES.flatMap((service) =>
      (mapped.get(service) ?? []).flatMap((route) => probesFor(service, route)),
    );
    const answers = [];
    for (const probe of probes) {
      const response = await fetch(`${system.service(probe.service).baseUrl}${probe.url}`, {
        method: probe.method,
        // Ops' token on every probe, so its auth cannot be what refuses the input.
        headers: {
          authorization: `Bearer ${OPS_TEST_TOKEN}`,
          ...(probe.body ? { 'content-type': 'application/json' } : {}),
        },
        body: probe.body,
      });
      const body = (await response.json().catch(() => ({}))) as { message?: unknown };
      answers.push({ probe: `${probe.service} ${probe.label}`, status: response.status, body });
    }
    expect(answers.length).toBeGreaterThan(60);
    expect(answers.filter((answer) => answer.status !== 400)).toEqual([]);
    expect(answers.filter((answer) => !answer.body.message)).toEqual([]);
    // Nothing half-written: no probe placed an order.
    const [{ count }] = await system
      .db('orders')
      .query<{ count: string }>('SELECT count(*) FROM orders');
    expect(Number(count)).toBe(0);
  });
});
