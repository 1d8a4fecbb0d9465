// CPU per process group from /proc, pidstat-style: the started services, RabbitMQ, PostgreSQL
// backends per database, the bench itself, and whatever else keeps the machine busy (on a shared
// 2-core box, somebody's test run is a load we must see to read our figures honestly).
// Linux only; elsewhere it reports nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const RABBITMQ_COMMANDS = new Set(['beam.smp', 'erl_child_setup', 'epmd', 'inet_gethost']);
/** "postgres: [<cluster>: ]<user> <database> <host>(<port>) <state>": how PostgreSQL titles a backend. */
const BACKEND_TITLE = /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/;

function clockTicksPerSecond() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function readTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // After the command: state is fields[0], so utime (field 14) is [11] and stime [12].
    return { command, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone, or not ours to read
  }
}

function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const numbers = values.map(Number);
  const total = numbers.reduce((a, b) => a + b, 0);
  // busy excludes idle and iowait; steal is time the hypervisor gave our vCPUs to someone else.
  return { total, busy: total - numbers[3] - (numbers[4] ?? 0), steal: numbers[7] ?? 0 };
}

export function startCpuSampler({
  knownPids = new Map(),
  // The bench's databases, and the services' default ones when the bench runs against those.
  serviceDatabases = /^bench_|^(orders|billing|inventory|payments)$/,
  intervalMs = 1_000,
} = {}) {
  let supported = true;
  try {
    machineTicks();
  } catch {
    supported = false;
  }
  const ticksPerSecond = supported ? clockTicksPerSecond() : 100;
  const groups = new Map(); // pid -> group name, decided once per pid
  const latest = new Map(); // pid -> ticks at last sample
  let baseline;
  let stopped = false;

  function groupOf(pid, command) {
    if (knownPids.has(pid)) return knownPids.get(pid);
    if (pid === process.pid) return 'bench (this process)';
    if (RABBITMQ_COMMANDS.has(command)) return 'rabbitmq';
    if (command === 'postgres' || command.startsWith('postgres')) {
      let title = '';
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        /* gone already */
      }
      const backend = BACKEND_TITLE.exec(title);
      if (!backend) return 'postgres (server processes)';
      return serviceDatabases.test(backend[1])
        ? `postgres ${backend[1]}`
        : 'postgres (other databases)';
    }
    return 'other processes';
  }

  function sample() {
    if (!supported) return;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const read = readTicks(pid);
      if (!read) continue;
      if (!groups.has(pid)) groups.set(pid, groupOf(pid, read.command));
      latest.set(pid, read.ticks);
    }
    return { at: performance.now(), machine: machineTicks(), perPid: new Map(latest) };
  }

  const loop = (async () => {
    while (!stopped) {
      sample();
      await sleep(intervalMs);
    }
  })();

  return {
    supported,
    markWindowStart() {
      baseline = sample();
    },
    /** % of one core per group over the window, plus the machine's busy share of all cores. */
    async stop() {
      stopped = true;
      await loop;
      const end = sample();
      if (!supported || !baseline) return undefined;
      const seconds = (end.at - baseline.at) / 1000;
      const perGroup = new Map();
      for (const [pid, ticks] of end.perPid) {
        const used = ticks - (baseline.perPid.get(pid) ?? 0);
        if (used <= 0) continue;
        const group = groups.get(pid);
        perGroup.set(group, (perGroup.get(group) ?? 0) + used);
      }
      const percent = (ticks) => (ticks / ticksPerSecond / seconds) * 100;
      const machineBusy = end.machine.busy - baseline.machine.busy;
      const accounted = [...perGroup.values()].reduce((a, b) => a + b, 0);
      const cores = Math.round(
        (end.machine.total - baseline.machine.total) / ticksPerSecond / seconds,
      );
      return {
        seconds,
        cores,
        machineBusyPercentOfAllCores:
          (machineBusy / (end.machine.total - baseline.machine.total)) * 100,
        stealPercentOfAllCores:
          ((end.machine.steal - baseline.machine.steal) /
            (end.machine.total - baseline.machine.total)) *
          100,
        groups: Object.fromEntries(
          [...perGroup.entries()]
            .map(([group, ticks]) => [group, percent(ticks)])
            .concat([
              [
                'unattributed (threads/processes gone between samples)',
                percent(Math.max(0, machineBusy - accounted)),
              ],
            ])
            .sort((a, b) => b[1] - a[1]),
        ),
      };
    },
  };
}
