import { removeAccounts, RabbitAdmin, testEnv, uniqueSuffix, waitFor } from '@shop/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client, escapeIdentifier } from 'pg';
// eslint-disable-next-line @nx/enforce-module-boundaries
import ports from '../../../config/service-ports.json';

// The workshop kit end to end: the system started the way a trainer starts it (npm start's
// tools/start-system.mjs, two billings, its own vhost, users and databases, ports moved up),
// then `shopctl lab all`, which breaks it seven ways and checks each promised outcome.

const ROOT = join(__dirname, '..', '..', '..');
const SERVICES = ['ops', 'orders', 'billing', 'inventory', 'payments'] as const;
const TOKEN = `labs-${uniqueSuffix()}-token`;
const ISOLATE = `labs${uniqueSuffix().slice(-8)}`;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** An offset at which every port the system needs (two instances of each) is free. */
async function freePortOffset(): Promise<number> {
  for (let offset = 400; offset < 2_000; offset += 50) {
    const wanted = SERVICES.flatMap((service) => [
      ports[service],
      ports[service] + ports.instancePortStep,
    ]);
    const free = await Promise.all(wanted.map((port) => portFree(port + offset)));
    if (free.every(Boolean)) return offset;
  }
  throw new Error('no free port range for the workshop system');
}

function runShopctl(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/shopctl.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the workshop kit: shopctl lab all against a system started like npm start', () => {
  let system: ChildProcess;
  let systemOutput = '';
  let portOffset: number;

  beforeAll(async () => {
    portOffset = await freePortOffset();
    system = spawn(
      process.execPath,
      [
        'tools/start-system.mjs',
        '--isolate',
        ISOLATE,
        '--port-offset',
        String(portOffset),
        '--scale',
        'billing=2',
      ],
      { cwd: ROOT, env: { ...process.env, OPS_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    system.stdout?.on('data', (chunk) => (systemOutput += chunk));
    system.stderr?.on('data', (chunk) => (systemOutput += chunk));
    const urls = SERVICES.flatMap((service) => [
      `http://localhost:${ports[service] + portOffset}`,
      ...(service === 'billing'
        ? [`http://localhost:${ports.billing + ports.instancePortStep + portOffset}`]
        : []),
    ]);
    await waitFor(
      async () => {
        if (system.exitCode !== null) throw new Error(`start-system exited:\n${systemOutput}`);
        const ready = await Promise.all(
          urls.map((url) =>
            fetch(`${url}/health/ready`).then(
              (r) => r.ok,
              () => false,
            ),
          ),
        );
        return ready.every(Boolean);
      },
      (ready) => ready,
      { timeoutMs: 90_000, description: 'every instance ready' },
    );
  }, 120_000);

  afterAll(async () => {
    if (system && system.exitCode === null) {
      const exited = new Promise((resolve) => system.once('exit', resolve));
      system.kill('SIGTERM');
      await exited;
    }
    await new RabbitAdmin(testEnv.rabbitmqManagementUrl)
      .deleteVhost(ISOLATE)
      .catch(() => undefined);
    const admin = new Client({ connectionString: testEnv.postgresUrl });
    await admin.connect();
    for (const service of SERVICES)
      await admin.query(
        `DROP DATABASE IF EXISTS ${escapeIdentifier(`${ISOLATE}_${service}`)} WITH (FORCE)`,
      );
    await admin.end();
    await removeAccounts(SERVICES.map((service) => `${ISOLATE}-${service}`));
  }, 60_000);

  it('passes all seven labs, each undone afterwards', async () => {
    // Not spawnSync: the system's output must keep flowing into this process meanwhile.
    const run = await runShopctl(['lab', 'all', '--json'], {
      SHOPCTL_PORT_OFFSET: String(portOffset),
      SHOPCTL_RABBITMQ_URL: `${testEnv.rabbitmqUrl}/${ISOLATE}`,
      SHOPCTL_MANAGEMENT_URL: testEnv.rabbitmqManagementUrl,
      SHOPCTL_OPS_TOKEN: TOKEN,
    });
    const results = JSON.parse(run.stdout || '[]') as Array<{
      lab: string;
      passed: boolean;
      failure?: string;
    }>;
    if (run.status !== 0) {
      // The services' side of a failed lab: their log lines, kept for whoever reads the failure.
      const file = join(ROOT, 'tmp', 'test-logs', `workshop-system-${Date.now()}.log`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, systemOutput);
      process.stderr.write(`the system's log of the failed labs: ${file}\n`);
    }
    expect({
      failed: results.filter((each) => !each.passed),
      stderr: run.status === 0 ? '' : run.stderr,
    }).toEqual({
      failed: [],
      stderr: '',
    });
    expect(run.status).toBe(0);
    expect(results.map((each) => each.lab)).toEqual([
      'poison-message',
      'transient-failure',
      'crash-before-ack',
      'duplicate-delivery',
      'broker-outage',
      'dead-letter-replay',
      'scale-out',
    ]);
    // The crash lab's instance really crashed and was started again.
    expect(systemOutput).toContain('crashed on purpose (a fault): starting it again');
  }, 250_000);
});
