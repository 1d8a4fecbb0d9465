import { OPS_TEST_TOKEN, ServiceProcess, TestSystem } from '@shop/testing';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Every `/api` route of apps/ops, each with a sample request: all of them must refuse a caller
 * without a valid token. Add a row for every new route.
 */
export const OPS_API_ROUTES: Array<{ method: 'GET' | 'POST'; path: string; body?: unknown }> = [
  // Paths that do not exist answer 401 too: without a token, /api reveals nothing.
  { method: 'GET', path: '/api' },
  { method: 'POST', path: '/api/no-such-route', body: {} },
  { method: 'GET', path: '/api/dead-letters' },
  { method: 'GET', path: `/api/dead-letters/${SOME_ID}` },
  { method: 'POST', path: `/api/dead-letters/${SOME_ID}/retry`, body: {} },
  { method: 'POST', path: '/api/dead-letters/retry', body: { groupId: SOME_ID } },
  { method: 'POST', path: `/api/dead-letters/${SOME_ID}/archive`, body: { reason: 'x' } },
  { method: 'POST', path: `/api/dead-letters/${SOME_ID}/unarchive`, body: { reason: 'x' } },
  { method: 'GET', path: '/api/groups' },
  { method: 'GET', path: '/api/audit' },
  { method: 'GET', path: '/api/retry-jobs' },
  { method: 'GET', path: `/api/retry-jobs/${SOME_ID}` },
];

async function call(
  ops: ServiceProcess,
  route: { method: string; path: string; body?: unknown },
  authorization?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${ops.baseUrl}${route.path}`, {
    method: route.method,
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: route.method === 'GET' ? undefined : JSON.stringify(route.body ?? {}),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

describe('ops: the service and its /api auth', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('ops-api', { services: ['ops'] });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('starts without consuming events: ready, with the whole topology declared, ops.journal included', async () => {
    const ready = await system.service('ops').get<{ status: string }>('/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok' } });

    const { admin, vhost } = system.broker;
    const queues = await admin.queueNames(vhost);
    expect(queues).toEqual(
      expect.arrayContaining(['billing.dlq', 'ops.journal', 'ops.replay-outcomes']),
    );
    expect(queues).not.toContain('ops.events');
    const journalBindings = await admin.bindings(vhost, 'ops.journal');
    expect(journalBindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'shop.events', routing_key: '#' }),
      ]),
    );
  });

  it('serves /health and /metrics without a token', async () => {
    const ops = system.service('ops');
    expect((await ops.get('/health/live')).status).toBe(200);
    expect((await ops.get('/metrics')).status).toBe(200);
  });

  it.each(OPS_API_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers 401 without a token and with a wrong one',
    async (_name, route) => {
      const ops = system.service('ops');
      for (const authorization of [undefined, 'Bearer not-the-token-at-all-0000', OPS_TEST_TOKEN]) {
        const response = await call(ops, route, authorization);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    },
  );

  it('refuses to start without a token, saying how to set one', async () => {
    const start = system.startInstance('ops', { OPS_TOKEN: '' });
    await expect(start).rejects.toThrow(/refuses to start without a token: set OPS_TOKEN/);
  });
});
