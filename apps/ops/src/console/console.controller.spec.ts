import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CONSOLE_CSP } from './console.controller';
import { ConsoleModule } from './console.module';

describe('console files', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConsoleModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves the page at / with a policy that allows nothing inline and nothing from elsewhere', async () => {
    const response = await request(app.getHttpServer()).get('/');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(response.text).toContain('<script type="module" src="/console/app.js">');
  });

  it('serves its modules and styles with their content types', async () => {
    const script = await request(app.getHttpServer()).get('/console/app.js');
    const styles = await request(app.getHttpServer()).get('/console/console.css');

    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(styles.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    ['a file that does not exist', '/console/missing.js'],
    ['its own TypeScript source', '/console/console.controller.ts'],
    ['a path outside the folder', '/console/..%2Fmain.ts'],
  ])('answers 404 for %s', async (_case, path) => {
    expect((await request(app.getHttpServer()).get(path)).status).toBe(404);
  });
});
