// Runs the one-shot setup step (apps/setup) for the launchers (npm start, the bench): a broker
// user and a database role per service, with a password made for this run, so that no service
// ever runs as an administrator. Returns the URLs each service is then started with.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { distMain, missingBuild } from './dist-apps.mjs';

export const DEVELOPMENT_RABBITMQ_ADMIN_URL = 'amqp://guest:guest@localhost:5672';
export const DEVELOPMENT_DATABASE_ADMIN_URL = 'postgres://postgres@localhost:5432/postgres';

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
      const rabbitmq = new URL(rabbitmqAdminUrl);
      rabbitmq.username = username;
      rabbitmq.password = password;
      const database = new URL(databaseAdminUrl);
      database.username = username;
      database.password = password;
      database.pathname = `/${databaseOf(service)}`;
      return [service, { rabbitmqUrl: rabbitmq.toString(), databaseUrl: database.toString() }];
    }),
  );
}

/** Runs `node dist/apps/setup/main.js`; resolves with its output, rejects with it on failure. */
export function runSetupStep({ root, rabbitmqAdminUrl, databaseAdminUrl, credentials, env = {} }) {
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
