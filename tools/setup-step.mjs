// Runs the one-shot setup step (apps/setup) for the launchers (npm start, the bench): a broker
// user and a database role per service, with a password made for this run, so that no service
// ever runs as an administrator. Returns the URLs each service is then started with.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { distMain, missingBuild } from './dist-apps.mjs';

export const DEVELOPMENT_RABBITMQ_ADMIN_URL = 'amqp://guest:guest@localhost:5672';
export const DEVELOPMENT_DATABASE_ADMIN_URL = 'postgres://postgres@localhost:5432/postgres';

/**
 * The same URL changed by `change`; for a cluster's comma-separated node URLs (as
 * RABBITMQ_URL takes them, libs/rmq broker-urls.ts), each of them alike.
 */
export function changeEachUrl(list, change) {
  return list
    .split(',')
    .map((part) => {
      const url = new URL(part.trim());
      change(url);
      return url.toString();
    })
    .join(',');
}

/**
 * Each service's URLs: the administrators' hosts and vhost, the service's own user (named
 * `<prefix><service>`), a fresh password, and its database (`databaseOf(service)`).
 */
export function serviceCredentials({
  services,
  rabbitmqAdminUrl,
  databaseAdminUrl,
  userPrefix = '',
  databaseOf = (service) => service,
}) {
  return Object.fromEntries(
    services.map((service) => {
      const password = randomBytes(18).toString('hex');
      const username = `${userPrefix}${service}`;
      const rabbitmqUrl = changeEachUrl(rabbitmqAdminUrl, (rabbitmq) => {
        rabbitmq.username = username;
        rabbitmq.password = password;
      });
      const database = new URL(databaseAdminUrl);
      database.username = username;
      database.password = password;
      database.pathname = `/${databaseOf(service)}`;
      return [service, { rabbitmqUrl, databaseUrl: database.toString() }];
    }),
  );
}

/**
 * Runs `node dist/apps/setup/main.js`; resolves with its output, rejects with it on failure.
 * The queue type must be the one the services get: RABBITMQ_QUEUE_TYPE, unless given.
 */
export function runSetupStep({
  root,
  rabbitmqAdminUrl,
  databaseAdminUrl,
  credentials,
  queueType = process.env.RABBITMQ_QUEUE_TYPE,
  env = {},
}) {
  const missing = missingBuild('setup');
  if (missing) return Promise.reject(new Error(missing));
  const serviceEnv = Object.fromEntries(
    Object.entries(credentials).flatMap(([service, urls]) => [
      [`${service.toUpperCase()}_RABBITMQ_URL`, urls.rabbitmqUrl],
      [`${service.toUpperCase()}_DATABASE_URL`, urls.databaseUrl],
    ]),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distMain('setup')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        RABBITMQ_ADMIN_URL: rabbitmqAdminUrl,
        ...(queueType ? { RABBITMQ_QUEUE_TYPE: queueType } : {}),
        DATABASE_ADMIN_URL: databaseAdminUrl,
        ...serviceEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`the setup step failed:\n${output}`)),
    );
  });
}
