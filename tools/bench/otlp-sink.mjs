// `--trace`: an OTLP/HTTP endpoint in the bench process that takes every export and keeps only
// counts, so the figures show what producing and exporting the spans costs the services, not
// what a collector or Jaeger costs.
import { createServer } from 'node:http';

export async function startOtlpSink() {
  const received = { requests: 0, bytes: 0 };
  const server = createServer((request, response) => {
    request.on('data', (chunk) => (received.bytes += chunk.length));
    request.on('end', () => {
      if (request.url === '/v1/traces') received.requests++;
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? '' }).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
