#!/usr/bin/env node
// Starts every service (and apps/ops) from its build in dist/apps, against RabbitMQ and
// PostgreSQL on localhost (or wherever RABBITMQ_ADMIN_URL / DATABASE_ADMIN_URL point). First
// the setup step gives each service its own broker user and database role, with a password
// made for this run; no service runs as an administrator. Ops and the services' fault switches
// (/admin/faults) share one token: OPS_TOKEN from the environment, or one generated and printed
// for this run.
//
//   node tools/start-system.mjs                     one instance of each service
//   node tools/start-system.mjs --scale billing=2   a second billing competes on billing.events
//   node tools/start-system.mjs --only orders,billing
//   node tools/start-system.mjs --isolate lab --port-offset 100
//                                                   its own vhost, users and databases, every
//                                                   port 100 up: beside another running system
//
// An instance that exits with code 75 crashed on purpose (the crash-before-ack fault): it is
// started again, with the faults it had left. Ctrl-C sends SIGTERM to every instance: each
// stops consuming, finishes in-flight messages and exits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { distMain, missingBuild, REPO_ROOT as root } from './dist-apps.mjs';
import { logLineFormatter } from './service-log-lines.mjs';
import { INSTANCE_PORT_STEP, SYSTEM_PORTS as SERVICES } from './service-ports.mjs';
import {
  DEVELOPMENT_DATABASE_ADMIN_URL,
  DEVELOPMENT_RABBITMQ_ADMIN_URL,
  runSetupStep,
  changeEachUrl,
  serviceCredentials,
} from './setup-step.mjs';

/** The exit code of the crash-before-ack fault (libs/platform/src/lib/faults): restart it. */
const CRASH_EXIT_CODE = 75;
/** The line a crashing instance writes last: the faults it had left, for the next one. */
const FAULTS_LEFT_PREFIX = 'faults-left: ';
const COLORS = [36, 33, 35, 32, 34, 31];

function fail(message) {
  console.error(`start-system: ${message}`);
  process.exit(2);
}

function options(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        scale: { type: 'string', multiple: true, default: [] },
        only: { type: 'string' },
        isolate: { type: 'string' },
        'port-offset': { type: 'string', default: '0' },
      },
    }).values;
  } catch (error) {
    fail(
      `${error.message} (options: --scale <service>=<count>, --only <service,...>, --isolate <name>, --port-offset <n>)`,
    );
  }
  const scale = {};
  for (const value of parsed.scale) {
    const [name, count] = value.split('=');
    if (!(name in SERVICES) || !(Number(count) >= 1))
      fail(`--scale expects <service>=<count>, got "${value}"`);
    scale[name] = Number(count);
  }
  const only = parsed.only ? parsed.only.split(',') : Object.keys(SERVICES);
  for (const name of only) if (!(name in SERVICES)) fail(`unknown service "${name}"`);
  const portOffset = Number(parsed['port-offset']);
  if (!Number.isInteger(portOffset) || portOffset < 0) fail('--port-offset expects a whole number');
  if (parsed.isolate !== undefined && !/^[a-z][a-z0-9]{0,20}$/.test(parsed.isolate))
    fail('--isolate expects a short lower-case name (letters and digits)');
  return { scale, only, portOffset, isolate: parsed.isolate };
}

const { scale, only, portOffset, isolate } = options(process.argv.slice(2));
const children = new Set();
let stopping = false;
const formatLine = logLineFormatter({ pretty: Boolean(process.stdout.isTTY) });

// One token for ops' /api and every service's /admin/faults: shopctl then needs only one.
const token = process.env.OPS_TOKEN ?? randomBytes(32).toString('hex');
const tokenEnv = process.env.OPS_TOKENS
  ? { ADMIN_TOKEN: process.env.ADMIN_TOKEN }
  : { OPS_TOKEN: token, ADMIN_TOKEN: process.env.ADMIN_TOKEN ?? token };
if (!process.env.OPS_TOKEN && !process.env.OPS_TOKENS) {
  process.stdout.write(
    [
      '',
      `  ops console: http://localhost:${SERVICES.ops + portOffset}`,
      `  OPS_TOKEN for this run: ${token}`,
      '  (set OPS_TOKEN or OPS_TOKENS yourself to keep one across runs)',
      '',
      '',
    ].join('\n'),
  );
}

function adminUrls() {
  const rabbitmq = changeEachUrl(
    process.env.RABBITMQ_ADMIN_URL ?? DEVELOPMENT_RABBITMQ_ADMIN_URL,
    (url) => {
      if (isolate) url.pathname = `/${isolate}`;
    },
  );
  const database = process.env.DATABASE_ADMIN_URL ?? DEVELOPMENT_DATABASE_ADMIN_URL;
  return { rabbitmqAdminUrl: rabbitmq.replace(/\/(,|$)/g, '$1'), databaseAdminUrl: database };
}

const { rabbitmqAdminUrl, databaseAdminUrl } = adminUrls();
const credentials = serviceCredentials({
  services: only,
  rabbitmqAdminUrl,
  databaseAdminUrl,
  ...(isolate
    ? { userPrefix: `${isolate}-`, databaseOf: (service) => `${isolate}_${service}` }
    : {}),
});
try {
  process.stdout.write(
    await runSetupStep({ root, rabbitmqAdminUrl, databaseAdminUrl, credentials }),
  );
} catch (error) {
  fail(error.message);
}

function start({ name, port, label, color, faults }) {
  const child = spawn(process.execPath, [distMain(name)], {
    cwd: root,
    env: {
      ...process.env,
      ...tokenEnv,
      PORT: String(port),
      RABBITMQ_URL: credentials[name].rabbitmqUrl,
      DATABASE_URL: credentials[name].databaseUrl,
      ...(faults ? { FAULTS: faults } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\u001b[${color}m${label.padEnd(11)}|\u001b[0m `;
  let faultsLeft;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line.startsWith(FAULTS_LEFT_PREFIX)) faultsLeft = line.slice(FAULTS_LEFT_PREFIX.length);
        process.stdout.write(`${prefix}${formatLine(line)}\n`);
      }
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(child);
    process.stdout.write(`${prefix}exited (${signal ?? `code ${code}`})\n`);
    if (code === CRASH_EXIT_CODE && !stopping) {
      process.stdout.write(`${prefix}crashed on purpose (a fault): starting it again\n`);
      start({ name, port, label, color, faults: faultsLeft });
      return;
    }
    if (children.size === 0) process.exit(stopping ? 0 : 1);
  });
  children.add(child);
  process.stdout.write(`${prefix}starting on http://localhost:${port}\n`);
}

for (const [index, name] of only.entries()) {
  const notBuilt = missingBuild(name);
  if (notBuilt) fail(notBuilt);
  for (let instance = 0; instance < (scale[name] ?? 1); instance++) {
    start({
      name,
      port: SERVICES[name] + portOffset + instance * INSTANCE_PORT_STEP,
      label: instance === 0 ? name : `${name}#${instance + 1}`,
      color: COLORS[index % COLORS.length],
    });
  }
}

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping every service gracefully\n`);
  for (const child of children) child.kill('SIGTERM');
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
