#!/usr/bin/env node
// Starts every service (and apps/ops) from its build in dist/apps, against RabbitMQ and
// PostgreSQL on localhost (or wherever RABBITMQ_ADMIN_URL / DATABASE_ADMIN_URL point). First
// the setup step gives each service its own broker user and database role, with a password
// made for this run; no service runs as an administrator. Ops uses OPS_TOKEN / OPS_TOKENS from
// the environment, or a token generated and printed for this run.
//
//   node tools/start-system.mjs                    one instance of each service
//   node tools/start-system.mjs --scale billing=2  a second billing competes on billing.events
//   node tools/start-system.mjs --only orders,billing
//
// Ctrl-C sends SIGTERM to every instance: each stops consuming, finishes in-flight messages
// and exits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { distMain, missingBuild, REPO_ROOT as root } from './dist-apps.mjs';
import { INSTANCE_PORT_STEP, SYSTEM_PORTS as SERVICES } from './service-ports.mjs';
import {
  DEVELOPMENT_DATABASE_ADMIN_URL,
  DEVELOPMENT_RABBITMQ_ADMIN_URL,
  runSetupStep,
  serviceCredentials,
} from './setup-step.mjs';

const COLORS = [36, 33, 35, 32, 34, 31];

function parseArgs(argv) {
  const scale = {};
  let only = Object.keys(SERVICES);
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--scale') {
      const [name, count] = value.split('=');
      if (!(name in SERVICES) || !(Number(count) >= 1))
        fail(`--scale expects <service>=<count>, got "${value}"`);
      scale[name] = Number(count);
    } else if (flag === '--only') {
      only = value.split(',');
      for (const name of only) if (!(name in SERVICES)) fail(`unknown service "${name}"`);
    } else {
      fail(`unknown option "${flag}" (use --scale <service>=<count>, --only <service,...>)`);
    }
  }
  return { scale, only };
}

function fail(message) {
  console.error(`start-system: ${message}`);
  process.exit(2);
}

const { scale, only } = parseArgs(process.argv.slice(2));
const children = [];

// Ops refuses to start without a token: use the one given, or make one for this run and say so.
const opsEnv = {};
if (only.includes('ops') && !process.env.OPS_TOKEN && !process.env.OPS_TOKENS) {
  opsEnv.OPS_TOKEN = randomBytes(32).toString('hex');
  process.stdout.write(
    [
      '',
      '  ops console: http://localhost:3000',
      `  OPS_TOKEN for this run: ${opsEnv.OPS_TOKEN}`,
      '  (set OPS_TOKEN or OPS_TOKENS yourself to keep one across runs)',
      '',
      '',
    ].join('\n'),
  );
}
let stopping = false;

const rabbitmqAdminUrl = process.env.RABBITMQ_ADMIN_URL ?? DEVELOPMENT_RABBITMQ_ADMIN_URL;
const databaseAdminUrl = process.env.DATABASE_ADMIN_URL ?? DEVELOPMENT_DATABASE_ADMIN_URL;
const credentials = serviceCredentials({ services: only, rabbitmqAdminUrl, databaseAdminUrl });
try {
  process.stdout.write(
    await runSetupStep({ root, rabbitmqAdminUrl, databaseAdminUrl, credentials }),
  );
} catch (error) {
  fail(error.message);
}

for (const [index, name] of only.entries()) {
  const main = distMain(name);
  const notBuilt = missingBuild(name);
  if (notBuilt) fail(notBuilt);
  for (let instance = 0; instance < (scale[name] ?? 1); instance++) {
    const port = SERVICES[name] + instance * INSTANCE_PORT_STEP;
    const label = instance === 0 ? name : `${name}#${instance + 1}`;
    const child = spawn(process.execPath, [main], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        RABBITMQ_URL: credentials[name].rabbitmqUrl,
        DATABASE_URL: credentials[name].databaseUrl,
        ...(name === 'ops' ? opsEnv : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `\u001b[${COLORS[index % COLORS.length]}m${label.padEnd(11)}|\u001b[0m `;
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.on('data', (chunk) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop();
        for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
      });
    }
    child.on('exit', (code, signal) => {
      process.stdout.write(`${prefix}exited (${signal ?? `code ${code}`})\n`);
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null))
        process.exit(stopping ? 0 : 1);
    });
    children.push(child);
    process.stdout.write(`${prefix}starting on http://localhost:${port}\n`);
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
