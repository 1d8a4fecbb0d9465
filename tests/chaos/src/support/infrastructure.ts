import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// How to restart, stop and start the real servers. The defaults fit a Debian machine running
// them as local services (this repository's CI); with Docker use e.g.
//   CHAOS_RESTART_BROKER_CMD="docker compose restart rabbitmq"
//   CHAOS_STOP_DATABASE_CMD="docker compose stop postgres"
//   CHAOS_START_DATABASE_CMD="docker compose start postgres"
const DEFAULT_BROKER_RESTART = [
  'rabbitmqctl -q shutdown',
  'rabbitmq-server -detached',
  'for i in $(seq 1 60); do rabbitmqctl -q await_startup >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1',
].join(' && ');

function defaultDatabaseCommand(action: 'stop' | 'start'): string {
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length === 0)
    return `echo "set CHAOS_${action.toUpperCase()}_DATABASE_CMD: no local PostgreSQL cluster found" && exit 1`;
  return `pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main ${action}`;
}

function run(command: string): number {
  const started = Date.now();
  execSync(command, { stdio: 'pipe', shell: '/bin/bash', timeout: 120_000 });
  return Date.now() - started;
}

/** Stops and starts the RabbitMQ node; returns how long it took, in ms. */
export function restartBroker(): number {
  return run(process.env['CHAOS_RESTART_BROKER_CMD'] ?? DEFAULT_BROKER_RESTART);
}

/**
 * Stops the PostgreSQL server, keeps it down for `outageMs`, starts it again; returns how long
 * it was unreachable, in ms.
 */
export async function stopDatabaseFor(outageMs: number): Promise<number> {
  const started = Date.now();
  run(process.env['CHAOS_STOP_DATABASE_CMD'] ?? defaultDatabaseCommand('stop'));
  await sleep(outageMs);
  run(process.env['CHAOS_START_DATABASE_CMD'] ?? defaultDatabaseCommand('start'));
  return Date.now() - started;
}
