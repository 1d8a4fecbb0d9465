import { freePort, ServiceProcess, TestSystem } from '@shop/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './support/console-browser';

const committed = (service: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../../docs/api', `${service}.openapi.json`), 'utf8'));

/** `/docs` outside production, built from the running service: the document docs/api holds. */
describe('API docs served by the services', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('apidocs', { services: ['orders', 'ops'] });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it.each(['orders', 'ops'] as const)(
    '%s serves the explorer at /docs and, at /docs-json, the committed document',
    async (service) => {
      const explorer = await fetch(`${system.service(service).baseUrl}/docs`);
      expect(explorer.status).toBe(200);
      expect(await explorer.text()).toContain('swagger-ui');
      // No token needed, even on ops: the document describes /api, it is not behind it.
      const { status, body } = await system.service(service).get('/docs-json');
      expect(status).toBe(200);
      expect(body).toEqual(committed(service));
    },
  );

  it("renders the explorer in a browser, under the services' Content-Security-Policy", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') blocked.push(message.text());
      });
      await page.goto(`${system.service('orders').baseUrl}/docs`);
      // Swagger UI's own scripts drew the document: its title and one of its routes.
      await page.getByText('orders API').first().waitFor({ timeout: 15_000 });
      await page.getByText('/orders/{orderId}').first().waitFor({ timeout: 15_000 });
      expect(blocked.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('serves no /docs in production', async () => {
    const production: ServiceProcess = await system.startInstance('orders', {
      NODE_ENV: 'production',
      // Not the default 9464: other test runs on this machine may hold it.
      METRICS_PORT: String(await freePort()),
    });
    try {
      expect((await production.get('/docs')).status).toBe(404);
      expect((await production.get('/docs-json')).status).toBe(404);
      expect((await production.get('/health/live')).status).toBe(200);
    } finally {
      await production.stop();
    }
  });
});
