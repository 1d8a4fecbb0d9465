// Starts and stops the four services from their builds in dist/apps, the way
// tools/start-system.mjs does, but on the bench's own vhost and databases.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { distMain, missingBuild } from '../dist-apps.mjs';
import { INSTANCE_PORT_STEP, SERVICE_PORTS as SERVICES } from '../service-ports.mjs';
import { freeConnections } from './databases.mjs';

export { SERVICE_PORTS as SERVICES } from '../service-ports.mjs';

/** Connections a started instance may open besides its pool: the outbox LISTEN connection, and
 *  in payments the simulated gateway's own ledger pool (4, fixed in apps/payments). */
const EXTRA_CONNECTIONS = { orders: 1, billing: 1, inventory: 1, payments: 5 };
/** Left free for everybody else using the same PostgreSQL server. */
const CONNECTION_HEADROOM = 20;

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** Where each instance listens; also used to find the metrics of a system started elsewhere. */
export function instancePlan({ host = 'localhost', scale, portOffset = 0 }) {
  const plan = [];
  for (const instance of scale ? [0, 1] : [0]) {
    for (const [service, basePort] of Object.entries(SERVICES)) {
      const port = basePort + portOffset + instance * INSTANCE_PORT_STEP;
      plan.push({
        service,
        label: instance === 0 ? service : `${service}#${instance + 1}`,
        port,
        url: `http://${host}:${port}`,
      });
    }
  }
  return plan;
}

/**
 * Starts every instance and waits for /health/ready. First instances start together; second
 * instances only once the first is ready, so two processes never migrate one database at once.
 */
export async function startSystem({
  root,
  runId,
  scale,
  portOffset,
  env,
  databaseUrlOf,
  rabbitmqUrlOf,
}) {
  const plan = instancePlan({ host: '127.0.0.1', scale, portOffset });
  for (const { service } of plan) {
    const notBuilt = missingBuild(service);
    if (notBuilt) throw new Error(notBuilt);
  }
  await Promise.all(plan.map(({ port, label }) => assertPortFree(port, label)));

  const logDir = join(root, 'tmp', 'bench-logs');
  mkdirSync(logDir, { recursive: true });
  const running = [];
  const system = {
    instances: running,
    logDir,
    async stop() {
      await Promise.all(running.map((instance) => instance.stop()));
    },
  };
  try {
    for (const wave of scale ? [0, 1] : [0]) {
      const members = plan.filter((_, index) => Math.floor(index / 4) === wave);
      const started = members.map((entry) =>
        startInstance({
          ...entry,
          root,
          logFile: join(logDir, `${runId}-${entry.label.replace('#', '-')}.log`),
          env: {
            ...env,
            RABBITMQ_URL: rabbitmqUrlOf(entry.service),
            DATABASE_URL: databaseUrlOf(entry.service),
            PORT: String(entry.port),
          },
        }),
      );
      running.push(...started);
      await Promise.all(started.map((instance) => instance.ready));
    }
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

function startInstance({ service, label, port, url, root, env, logFile }) {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [distMain(service)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk) => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;

  const ready = (async () => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!alive()) throw new Error(`${label} exited during start-up (see ${logFile}):\n${tail}`);
      const status = await fetch(`${url}/health/ready`, {
        signal: AbortSignal.timeout(2_000),
      }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      await sleep(200);
    }
    throw new Error(
      `${label} not ready after ${READY_TIMEOUT_MS / 1000} s (see ${logFile}):\n${tail}`,
    );
  })();
  ready.catch(() => undefined); // awaited by startSystem; never an unhandled rejection

  return {
    service,
    label,
    port,
    url,
    pid: child.pid,
    logFile,
    ready,
    /** SIGTERM lets the service drain in-flight messages; SIGKILL only if it hangs. */
    async stop() {
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const result = await exited;
      clearTimeout(timer);
      await new Promise((resolve) => log.end(resolve));
      return result;
    },
  };
}

/** A port already taken would make our health checks talk to somebody else's service. */
function assertPortFree(port, label) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(
        new Error(`port ${port} for ${label} is in use; stop that process or use --port-offset`),
      ),
    );
    server.listen(port, () => server.close(() => resolve()));
  });
}

/** Peak RSS of a local process as the kernel saw it (VmHWM), in bytes. */
export function vmHwm(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pools fill up under load: started instances must fit in max_connections with room to spare,
 * or they would fail (and make other people's tests fail) with "too many clients".
 */
export async function assertConnectionBudget({ postgresUrl, scale, env }) {
  const poolSize = Number(env.DATABASE_POOL_SIZE ?? 10);
  const instances = scale ? 2 : 1;
  const needed = Object.values(EXTRA_CONNECTIONS).reduce(
    (sum, extra) => sum + instances * (poolSize + extra),
    0,
  );
  const { max, used, free } = await freeConnections(postgresUrl);
  if (needed > free - CONNECTION_HEADROOM) {
    const fitting = Math.floor(
      ((free - CONNECTION_HEADROOM) / instances -
        Object.values(EXTRA_CONNECTIONS).reduce((a, b) => a + b, 0)) /
        4,
    );
    throw new Error(
      `the services may open ${needed} PostgreSQL connections (${instances * 4} instances, DATABASE_POOL_SIZE=${poolSize}), ` +
        `but the server takes ${max} and ${used} are in use; keeping ${CONNECTION_HEADROOM} for others, ` +
        `use --env DATABASE_POOL_SIZE=${Math.max(1, fitting)} or less`,
    );
  }
}
