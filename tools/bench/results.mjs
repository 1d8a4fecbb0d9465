// Turns the raw records of a run into its figures: throughput, latency, statuses, CPU per order.
import { summarize } from './stats.mjs';
import { SERVICES } from './system.mjs';

/** The aims, set beside what was measured: informative, never a pass/fail. */
export function aims({ pipeline, load, services }) {
  const peakRssMB = Math.max(
    ...services.map((s) => (s.peakRssBytes ?? s.vmHwmBytes ?? 0) / 2 ** 20),
  );
  return {
    ordersPerSecond: { aim: '>= 300 sustained', measured: pipeline.ordersPerSecond },
    latencyAt100PerSecond:
      load.mode === 'open' && load.rate === 100
        ? {
            aim: 'p50 <= 30 ms, p99 <= 150 ms',
            p50: pipeline.latencyMs.p50,
            p99: pipeline.latencyMs.p99,
          }
        : { aim: 'p50 <= 30 ms, p99 <= 150 ms', measured: 'only with --rate 100' },
    peakRssPerServiceMB: { aim: '<= 150', measured: peakRssMB || undefined },
  };
}

/** CPU time per finished order, by kind of process: the cost that a 2-core machine runs out of. */
export function cpuMsPerOrder(cpu, orders) {
  if (!orders) return undefined;
  const kinds = {};
  for (const [group, percent] of Object.entries(cpu.groups)) {
    const kind = group.startsWith('postgres')
      ? 'postgres'
      : group === 'rabbitmq' || group.startsWith('bench')
        ? group.split(' ')[0]
        : Object.keys(SERVICES).includes(group.split('#')[0])
          ? 'services'
          : 'other';
    kinds[kind] = (kinds[kind] ?? 0) + ((percent / 100) * cpu.seconds * 1000) / orders;
  }
  const ours = Object.entries(kinds).filter(([kind]) => kind !== 'other');
  return { ...kinds, totalWithoutOther: ours.reduce((sum, [, ms]) => sum + ms, 0) };
}

export function summarizePipeline(records, options, systemTotals, duplicatesSeen) {
  const placed = records.filter((record) => record.ok);
  const finished = placed.filter((record) => record.arrival);
  const statuses = {};
  const cancelReasons = {};
  for (const { arrival } of finished) {
    statuses[arrival.status] = (statuses[arrival.status] ?? 0) + 1;
    if (arrival.status === 'CANCELLED') {
      cancelReasons[arrival.reason ?? 'unknown'] =
        (cancelReasons[arrival.reason ?? 'unknown'] ?? 0) + 1;
    }
  }
  const failureReasons = {};
  for (const reason of records.flatMap((record) => record.failures)) {
    failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
  }
  const firstSent = Math.min(...records.map((record) => record.sentAt));
  const lastSent = Math.max(...records.map((record) => record.sentAt));
  const lastTerminal = Math.max(...finished.map((record) => record.arrival.at));
  const durationS = finished.length > 0 ? (lastTerminal - firstSent) / 1000 : undefined;
  return {
    orders: options.orders,
    placed: placed.length,
    terminal: finished.length,
    missing: placed.length - finished.length,
    missingOrderIds: placed.filter((record) => !record.arrival).map((record) => record.orderId),
    failedPosts: records.length - placed.length,
    failedAttempts: records.reduce((sum, record) => sum + record.failures.length, 0),
    postFailureReasons: failureReasons,
    durationS,
    ordersPerSecond: durationS ? finished.length / durationS : 0,
    postRatePerSecond:
      records.length > 1 ? (records.length - 1) / ((lastSent - firstSent) / 1000) : undefined,
    latencyMs: summarize(finished.map((record) => record.arrival.at - record.sentAt)),
    postLatencyMs: summarize(placed.map((record) => record.respondedAt - record.sentAt)),
    statuses,
    cancelReasons,
    duplicateTerminalEvents: duplicatesSeen,
    systemTotals,
  };
}
