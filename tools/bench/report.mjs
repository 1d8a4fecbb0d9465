// Turns a finished run into a short table on stdout and the same figures as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const fmt = (value, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value)
    ? 'n/a'
    : Number(value).toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
const int = (value) => fmt(value, 0);
const mb = (bytes) => (bytes ? fmt(bytes / 2 ** 20, 0) : 'n/a');

function table(rows) {
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => String(row[column]).length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => String(cell).padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatReport(result) {
  const { pipeline: p, load, ceiling, machine } = result;
  const lines = [];
  const loadText =
    load.mode === 'open'
      ? `open loop, ${fmt(load.rate, 0)} orders/s offered (max schedule lag ${fmt(load.maxScheduleLagMs)} ms)`
      : `closed loop, concurrency ${load.concurrency}`;
  const statusText = Object.entries(p.statuses)
    .map(([status, count]) => `${int(count)} ${status}`)
    .join(', ');
  const reasons = Object.entries(p.cancelReasons)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const rows = [
    ['orders', `${int(p.orders)} measured (+${int(load.warmup)} warm-up), ${loadText}`],
    ['system', result.system.description],
    ['duration', `${fmt(p.durationS, 2)} s (first POST to last terminal event)`],
    [
      'throughput',
      `${fmt(p.ordersPerSecond)} orders/s (POSTs sent at ${fmt(p.postRatePerSecond)}/s)`,
    ],
    [
      'latency POST->terminal',
      `p50 ${fmt(p.latencyMs.p50)}  p95 ${fmt(p.latencyMs.p95)}  p99 ${fmt(p.latencyMs.p99)}  max ${fmt(p.latencyMs.max)} ms`,
    ],
    [
      'POST response time',
      `p50 ${fmt(p.postLatencyMs.p50)}  p99 ${fmt(p.postLatencyMs.p99)}  max ${fmt(p.postLatencyMs.max)} ms`,
    ],
    [
      'statuses',
      `${statusText || 'none'}${reasons ? ` (${reasons})` : ''}, ${int(p.missing)} missing; ` +
        `POST failures ${int(p.failedPosts)} (failed attempts retried: ${int(p.failedAttempts)})`,
    ],
    [
      'orders in the service',
      Object.entries(p.systemTotals)
        .map(([status, count]) => `${status} ${count ?? 'n/a'}`)
        .join(', '),
    ],
    [
      'peak RSS (MB)',
      result.services.map((s) => `${s.label} ${mb(s.peakRssBytes ?? s.vmHwmBytes)}`).join(', '),
    ],
  ];
  if (ceiling?.hopPerSecond) {
    rows.push(
      [
        'hop ceiling',
        `${fmt(ceiling.hopPerSecond, 0)} msg/s (${int(ceiling.messages)} msgs of ${ceiling.payloadBytes} B, ` +
          `confirms -> prefetch ${ceiling.prefetch} -> 1 tx each, pool ${ceiling.poolSize}; publish alone ${fmt(ceiling.publishPerSecond, 0)}/s)`,
      ],
      [
        'per-order ceiling',
        `${fmt(ceiling.perOrderCeiling, 0)} orders/s (hop ceiling / ${ceiling.hopsPerOrder} hops per order)`,
      ],
      ['ratio', `${fmt(result.ratio, 2)} of the per-order ceiling`],
    );
  } else {
    rows.push(['hop ceiling', ceiling?.error ? `failed: ${ceiling.error}` : 'skipped']);
  }
  lines.push(table(rows), '');

  lines.push(
    table([
      [
        'instance',
        'RSS peak MB',
        'VmHWM MB',
        'CPU %',
        'loop lag p99 max ms',
        'outbox max rows/age s',
        'handler mean ms (deliveries)',
      ],
      ...result.services.map((s) => [
        s.label,
        mb(s.peakRssBytes),
        mb(s.vmHwmBytes),
        fmt(s.cpuPercent, 0),
        fmt(s.eventLoopLagP99MaxMs),
        `${int(s.outboxBacklogMax)} / ${fmt(s.outboxOldestPendingMaxS, 2)}`,
        Object.entries(s.handlers ?? {})
          .map(([type, h]) => `${type} ${fmt(h.meanMs)} (${int(h.count)})`)
          .join(', ') || '-',
      ]),
    ]),
    '',
  );

  if (result.cpu) {
    const groups = Object.entries(result.cpu.groups).filter(([, percent]) => percent >= 0.5);
    lines.push(
      `CPU during the measured window (% of one core; ${result.cpu.cores} cores, machine ${fmt(result.cpu.machineBusyPercentOfAllCores, 0)}% busy):`,
      '  ' + groups.map(([group, percent]) => `${group} ${fmt(percent, 0)}`).join(' | '),
    );
    const perOrder = result.cpu.msPerOrder;
    if (perOrder) {
      lines.push(
        `  CPU per order: ${fmt(perOrder.totalWithoutOther)} ms (services ${fmt(perOrder.services)}, ` +
          `postgres ${fmt(perOrder.postgres)}, rabbitmq ${fmt(perOrder.rabbitmq)}, bench ${fmt(perOrder.bench)}; ` +
          `other load ${fmt(perOrder.other)})`,
      );
    }
    lines.push('');
  }
  if (result.database) {
    const perDb = Object.entries(result.database.perOrder).map(
      ([name, d]) =>
        `${name.replace(/^bench_/, '')} ${fmt(d.commits)} tx, ${fmt(d.rowsInserted)} ins, ${fmt(d.rowsUpdated)} upd`,
    );
    const wal = result.database.walPerOrderClusterWide;
    lines.push(
      'PostgreSQL work per order:',
      `  ${perDb.join(' | ')}${wal ? ` | WAL flushes ${fmt(wal.syncs)}, ${fmt(wal.bytes / 1024)} KB (cluster-wide)` : ''}`,
      '',
    );
  }
  if (ceiling?.cpu) {
    const groups = Object.entries(ceiling.cpu.groups).filter(([, percent]) => percent >= 0.5);
    lines.push(
      `CPU during the hop ceiling (% of one core; machine ${fmt(ceiling.cpu.machineBusyPercentOfAllCores, 0)}% busy):`,
      '  ' + groups.map(([group, percent]) => `${group} ${fmt(percent, 0)}`).join(' | '),
      '',
    );
  }
  if (ceiling?.hopPerSecond) {
    lines.push(`hops per confirmed order (${ceiling.hopsPerOrder}): ${result.hops.join(', ')}`);
  }
  lines.push(
    `machine: ${machine.cpuCount} x ${machine.cpuModel}, ${int(machine.totalMemoryMB)} MB, Node ${machine.node}, ` +
      `RabbitMQ ${machine.rabbitmq ?? 'n/a'}, ${machine.postgres ?? 'PostgreSQL n/a'}, load average ${machine.loadAverage.join(' ')}`,
  );
  const { code } = result;
  const builds = Object.values(code.builtAt).filter(Boolean).sort();
  lines.push(
    `code: ${code.commit ?? 'n/a'}${code.uncommittedChangesInAppsOrLibs ? ` + ${code.uncommittedChangesInAppsOrLibs} uncommitted files in apps/libs` : ''}; ` +
      `dist built ${builds.length ? `${builds[0]} .. ${builds[builds.length - 1]}` : 'n/a'}`,
  );
  const { ordersPerSecond, latencyAt100PerSecond, peakRssPerServiceMB } = result.aims;
  lines.push(
    `aims (not asserted): >= 300 orders/s: ${fmt(ordersPerSecond.measured)}; ` +
      `p50 <= 30 / p99 <= 150 ms at 100 orders/s offered: ` +
      (latencyAt100PerSecond.p50 === undefined
        ? 'run with --rate 100'
        : `${fmt(latencyAt100PerSecond.p50)} / ${fmt(latencyAt100PerSecond.p99)} ms`) +
      `; <= 150 MB RSS per service: max ${fmt(peakRssPerServiceMB.measured, 0)} MB`,
  );
  for (const problem of result.problems) lines.push(`PROBLEM: ${problem}`);
  lines.push(result.complete ? 'complete run' : 'INCOMPLETE run');
  return lines.join('\n');
}

export function writeJson(file, result) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
