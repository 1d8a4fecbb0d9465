#!/usr/bin/env node
// Container healthcheck: exits 0 when the service on $PORT says it is ready (database and broker up).
const port = process.env.PORT ?? '3000';
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
