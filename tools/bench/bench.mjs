#!/usr/bin/env node
// `npm run bench`: places orders over HTTP, waits until each is terminal, and prints throughput
// and POST-to-terminal latency next to the raw broker ceiling of this machine. See --help.
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOPS_PER_CONFIRMED_ORDER, measureBrokerCeiling } from './broker-ceiling.mjs';
import { helpText, parseOptions } from './cli.mjs';
import { databaseUrl, dropDatabase, freeConnections } from './databases.mjs';
import { closedLoop, openLoop } from './load.mjs';
import { machineInfo } from './machine.mjs';
import { startMetricsSampler } from './metrics-sampler.mjs';
import { countOrders, placeOrder } from './orders-client.mjs';
import { startPgActivity } from './pg-activity.mjs';
import { startCpuSampler } from './proc-cpu.mjs';
import { rabbitAdmin, vhostUrl } from './rabbit-admin.mjs';
import { formatReport, writeJson } from './report.mjs';
import { summarize } from './stats.mjs';
import { instancePlan, SERVICES, startSystem } from './system.mjs';
import { watchTerminalEvents } from './terminal-watch.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BENCH_VHOST = 'bench';
/** With LOG_LEVEL=info every request and event writes a line: a cost the bench should not measure. */
const STARTED_SERVICE_ENV = { LOG_LEVEL: 'warn' };

/** Connections a started instance may open besides its pool: the outbox LISTEN connection, and
 *  in payments the simulated gateway's own ledger pool (4, fixed in apps/payments). */
const EXTRA_CONNECTIONS = { orders: 1, billing: 1, inventory: 1, payments: 5 };
/** Left free for everybody else using the same PostgreSQL server. */
const CONNECTION_HEADROOM = 20;

const log = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    log(error.message);
    process.stderr.write(`\n${helpText()}`);
    return 1;
  }
  if (options.help) {
    process.stdout.write(helpText());
    return 0;
  }

  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const cleanups = [];
  const cleanUp = async () => {
    while (cleanups.length > 0)
      await cleanups
        .pop()()
        .catch((error) => log(`cleanup: ${error.message}`));
  };
  // Ctrl-C must still stop the services we started.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void cleanUp().finally(() => process.exit(1));
    });
  }

  try {
    return await run(options, runId, cleanups);
  } finally {
    await cleanUp();
  }
}

async function run(options, runId, cleanups) {
  const problems = [];
  const machine = await machineInfo(options);

  let amqpUrl = options.rabbitmqUrl;
  const serviceEnv = { ...STARTED_SERVICE_ENV, ...options.serviceEnv };
  if (options.start) {
    await assertConnectionBudget(options, serviceEnv);
    log(`preparing vhost "${BENCH_VHOST}" and fresh databases bench_<service>`);
    await rabbitAdmin(options.managementUrl).recreateVhost(BENCH_VHOST);
    amqpUrl = vhostUrl(options.rabbitmqUrl, BENCH_VHOST);
    for (const service of Object.keys(SERVICES))
      await dropDatabase(options.postgresUrl, `bench_${service}`);
  }

  // Measured before the services run, so they take no CPU from it.
  let ceiling;
  if (options.skipCeiling) {
    ceiling = { skipped: true };
  } else {
    log(`measuring the broker ceiling (${options.ceilingMessages} messages)`);
    // CPU per process during the ceiling too: it shows which of broker, database and client saturates.
    const ceilingCpu = startCpuSampler();
    ceilingCpu.markWindowStart();
    try {
      ceiling = await measureBrokerCeiling({
        amqpUrl,
        adminUrl: options.postgresUrl,
        messages: options.ceilingMessages,
        runId,
      });
      ceiling.cpu = await ceilingCpu.stop();
    } catch (error) {
      await ceilingCpu.stop();
      ceiling = { error: error.message };
      problems.push(`broker ceiling failed: ${error.message}`);
    }
  }

  serviceEnv.RABBITMQ_URL = amqpUrl;
  let instances;
  let system;
  if (options.start) {
    log(
      `starting ${options.scale ? 'two instances' : 'one instance'} of each service from dist/apps`,
    );
    system = await startSystem({
      root: ROOT,
      runId,
      scale: options.scale,
      portOffset: options.portOffset,
      env: serviceEnv,
      databaseUrlOf: (service) => databaseUrl(options.postgresUrl, `bench_${service}`),
    });
    cleanups.push(() => system.stop());
    instances = system.instances;
    log(`services ready; logs in ${system.logDir}`);
  } else {
    const ordersUrl = new URL(options.ordersUrl);
    instances = instancePlan({ host: ordersUrl.hostname, scale: options.scale });
    instances[0].url = options.ordersUrl;
    const ready = await fetch(`${options.ordersUrl}/health/ready`, {
      signal: AbortSignal.timeout(5_000),
    }).then(
      (response) => response.status,
      (error) => error.cause?.code ?? error.message,
    );
    if (ready !== 200) {
      throw new Error(
        `orders at ${options.ordersUrl} is not ready (${ready}); start the system or use --start`,
      );
    }
  }
  const ordersUrls = instances
    .filter((instance) => instance.service === 'orders')
    .map((i) => i.url);

  const watch = await watchTerminalEvents(amqpUrl);
  cleanups.push(() => watch.close());
  const metrics = startMetricsSampler(instances);
  const cpu = startCpuSampler({
    knownPids: new Map((system?.instances ?? []).map((instance) => [instance.pid, instance.label])),
  });

  /** Places order n (spread over the orders instances) and waits for its terminal event. */
  const placeAndAwait = async (n) => {
    const post = await placeOrder(ordersUrls[n % ordersUrls.length], n, `bench-${runId}-${n}`);
    if (!post.ok) return post;
    const remainingMs = options.timeoutMs - (performance.now() - post.sentAt);
    return { ...post, arrival: await watch.waitFor(post.orderId, Math.max(0, remainingMs)) };
  };
  const generate = (count, offset) => {
    const records = [];
    const runOne = async (i) => records.push(await placeAndAwait(offset + i));
    const done =
      options.rate === undefined
        ? closedLoop({ count, concurrency: options.concurrency, run: runOne })
        : openLoop({ count, rate: options.rate, run: runOne });
    return done.then((stats) => ({ records, ...stats }));
  };

  if (options.warmup > 0) {
    log(`warm-up: ${options.warmup} orders`);
    const warm = await generate(options.warmup, 0);
    const unfinished = warm.records.filter((record) => !record.arrival).length;
    if (unfinished > 0) problems.push(`${unfinished} warm-up orders did not finish`);
  }

  // Our own databases only, so their counters are known to be ours.
  const pgActivity = options.start
    ? await startPgActivity(
        options.postgresUrl,
        Object.keys(SERVICES).map((service) => `bench_${service}`),
      ).catch((error) => {
        problems.push(`cannot read PostgreSQL statistics: ${error.message}`);
        return undefined;
      })
    : undefined;
  await Promise.all([metrics.markWindowStart(), cpu.markWindowStart()]);
  log(
    `measuring: ${options.orders} orders, ` +
      (options.rate === undefined
        ? `concurrency ${options.concurrency}`
        : `${options.rate} orders/s offered`),
  );
  const measured = await generate(options.orders, options.warmup);
  if (watch.lost)
    problems.push(`lost the broker connection watching for terminal events: ${watch.lost}`);
  const [serviceStats, cpuStats] = await Promise.all([metrics.stop(), cpu.stop()]);
  const peakRss = new Map((system?.peakRss() ?? []).map(({ label, bytes }) => [label, bytes]));

  const systemTotals = {};
  for (const status of ['PENDING', 'CONFIRMED', 'CANCELLED']) {
    systemTotals[status] = await countOrders(ordersUrls[0], status).catch((error) => {
      problems.push(`cannot count ${status} orders: ${error.message}`);
      return undefined;
    });
  }

  const database = await pgActivity?.stop(options.orders).catch((error) => {
    problems.push(`cannot read PostgreSQL statistics: ${error.message}`);
    return undefined;
  });

  const pipeline = summarizePipeline(measured.records, options, systemTotals, watch.duplicates);
  if (pipeline.failedPosts > 0) {
    const example = measured.records.find((record) => !record.ok);
    problems.push(`${pipeline.failedPosts} orders could not be placed (e.g. ${example.error})`);
  }
  if (pipeline.missing > 0) {
    const examples = pipeline.missingOrderIds.slice(0, 3).join(', ');
    problems.push(
      `${pipeline.missing} of ${options.orders} orders not terminal within ${options.timeoutMs / 1000} s of their POST (e.g. ${examples})`,
    );
  }
  if (systemTotals.PENDING > 0)
    problems.push(`${systemTotals.PENDING} orders still PENDING in the orders service`);
  if (pipeline.cancelReasons.OUT_OF_STOCK) {
    problems.push('orders cancelled OUT_OF_STOCK: re-seed with node tools/reseed-inventory.mjs');
  }

  const result = {
    runId,
    finishedAt: new Date().toISOString(),
    complete: problems.length === 0,
    problems,
    options: { ...options, serviceEnv: options.start ? serviceEnv : undefined },
    machine,
    system: {
      started: options.start,
      description: options.start
        ? `started here: ${instances.length} instances on vhost ${BENCH_VHOST}, env ${Object.entries(
            { ...STARTED_SERVICE_ENV, ...options.serviceEnv },
          )
            .map(([key, value]) => `${key}=${value}`)
            .join(' ')}`
        : `running system at ${options.ordersUrl}${options.scale ? ' (+ second instances)' : ''}`,
      instances: instances.map(({ label, url, pid }) => ({ label, url, pid })),
    },
    load: {
      mode: options.rate === undefined ? 'closed' : 'open',
      concurrency: options.rate === undefined ? options.concurrency : undefined,
      rate: options.rate,
      warmup: options.warmup,
      maxScheduleLagMs: measured.maxScheduleLagMs,
    },
    pipeline,
    services: serviceStats.map((stats) => ({ ...stats, vmHwmBytes: peakRss.get(stats.label) })),
    cpu: cpuStats && { ...cpuStats, msPerOrder: cpuMsPerOrder(cpuStats, pipeline.terminal) },
    database,
    ceiling,
    hops: HOPS_PER_CONFIRMED_ORDER,
    ratio: ceiling?.perOrderCeiling
      ? pipeline.ordersPerSecond / ceiling.perOrderCeiling
      : undefined,
  };
  result.aims = aims(result);
  delete result.pipeline.missingOrderIds;

  process.stdout.write(`\n${formatReport(result)}\n`);
  const jsonFile = resolve(ROOT, options.jsonFile);
  writeJson(jsonFile, result);
  log(`figures written to ${jsonFile}`);
  return result.complete ? 0 : 1;
}

/**
 * Pools fill up under load: started instances must fit in max_connections with room to spare,
 * or they would fail (and make other people's tests fail) with "too many clients".
 */
async function assertConnectionBudget(options, env) {
  const poolSize = Number(env.DATABASE_POOL_SIZE ?? 10);
  const instances = options.scale ? 2 : 1;
  const needed = Object.values(EXTRA_CONNECTIONS).reduce(
    (sum, extra) => sum + instances * (poolSize + extra),
    0,
  );
  const { max, used, free } = await freeConnections(options.postgresUrl);
  if (needed > free - CONNECTION_HEADROOM) {
    const fitting = Math.floor(
      ((free - CONNECTION_HEADROOM) / instances -
        Object.values(EXTRA_CONNECTIONS).reduce((a, b) => a + b, 0)) /
        4,
    );
    throw new Error(
      `the services may open ${needed} PostgreSQL connections (${instances * 4} instances, DATABASE_POOL_SIZE=${poolSize}), ` +
        `but the server takes ${max} and ${used} are in use; keeping ${CONNECTION_HEADROOM} for others, ` +
        `use --env DATABASE_POOL_SIZE=${Math.max(1, fitting)} or less`,
    );
  }
}

/** The aims, set beside what was measured: informative, never a pass/fail. */
function aims({ pipeline, load, services }) {
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
function cpuMsPerOrder(cpu, orders) {
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

function summarizePipeline(records, options, systemTotals, duplicatesSeen) {
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

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`failed: ${error.message}`);
    process.exit(1);
  },
);
