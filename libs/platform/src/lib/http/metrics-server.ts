import { Logger } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { register } from 'prom-client';

/**
 * `/metrics` on a port of its own (`METRICS_PORT`), for Prometheus on the internal network:
 * the public port then has no `/metrics` at all. The same registry the `/metrics` route of
 * the main port serves in development.
 */
export async function startMetricsServer(port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    register.metrics().then(
      (text) => response.writeHead(200, { 'content-type': register.contentType }).end(text),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  new Logger('Metrics').log(`/metrics served on :${port} only (METRICS_PORT)`);
  return server;
}
