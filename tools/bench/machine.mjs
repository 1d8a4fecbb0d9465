// What the figures were measured on: they mean little without the machine next to them.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import { distMain } from '../dist-apps.mjs';
import { postgresVersion } from './databases.mjs';
import { rabbitAdmin } from './rabbit-admin.mjs';

/**
 * Which code was measured: the commit, whether apps/ or libs/ had uncommitted changes, and
 * when each service was built (dist may be older or newer than the checkout).
 */
export function codeInfo(root) {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  const builtAt = {};
  for (const service of ['orders', 'billing', 'inventory', 'payments']) {
    try {
      builtAt[service] = statSync(distMain(service)).mtime.toISOString();
    } catch {
      builtAt[service] = undefined;
    }
  }
  const dirty = git('status', '--porcelain', '--', 'apps', 'libs');
  return {
    commit: git('log', '-1', '--format=%h %s'),
    uncommittedChangesInAppsOrLibs:
      dirty === undefined ? undefined : dirty.split('\n').filter(Boolean).length,
    builtAt,
  };
}

export async function machineInfo({ managementUrl, postgresUrl }) {
  const cpus = os.cpus();
  const [overview, postgres] = await Promise.all([
    rabbitAdmin(managementUrl)
      .overview()
      .catch(() => undefined),
    postgresVersion(postgresUrl).catch(() => undefined),
  ]);
  return {
    cpuModel: cpus[0]?.model?.trim(),
    cpuCount: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    rabbitmq: overview?.rabbitmq_version,
    erlang: overview?.erlang_version,
    postgres: postgres?.split(' on ')[0],
  };
}
