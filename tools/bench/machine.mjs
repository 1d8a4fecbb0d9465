// What the figures were measured on: they mean little without the machine next to them.
import os from 'node:os';
import { postgresVersion } from './databases.mjs';
import { rabbitAdmin } from './rabbit-admin.mjs';

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
