#!/usr/bin/env node
// `npm run bench`: places orders over HTTP, waits until each is terminal, and prints throughput
// and POST-to-terminal latency next to the raw broker ceiling of this machine. See --help.
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOPS_PER_CONFIRMED_ORDER, measureBrokerCeiling } from './broker-ceiling.mjs';
import { helpText, parseOptions } from './cli.mjs';
import { dropDatabase } from './databases.mjs';
import { listeningPids } from './listening-pids.mjs';
import { closedLoop, openLoop } from './load.mjs';
import { codeInfo, machineInfo } from './machine.mjs';
import { startMetricsSampler } from './metrics-sampler.mjs';
import { startOtlpSink } from './otlp-sink.mjs';
import { countOrders, placeOrder } from './orders-client.mjs';
import { startPgActivity } from './pg-activity.mjs';
import { startCpuSampler } from './proc-cpu.mjs';
import { rabbitAdmin, vhostUrl } from './rabbit-admin.mjs';
import { formatReport, writeJson } from './report.mjs';
import { aims, cpuMsPerOrder, summarizePipeline } from './results.mjs';
import { runSetupStep, serviceCredentials } from '../setup-step.mjs';
import { assertConnectionBudget, instancePlan, SERVICES, startSystem, vmHwm } from './system.mjs';
import { watchTerminalEvents } from './terminal-watch.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BENCH_VHOST = 'bench';
/** With LOG_LEVEL=info every request and event writes a line: a cost the bench should not measure. */
// No rate limit on POST /orders: the bench is one client placing orders as fast as it can.
const STARTED_SERVICE_ENV = { LOG_LEVEL: 'warn', ORDERS_RATE_LIMIT_PER_MINUTE: '0' };

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
  const state = { stopping: false };
  // One clean-up however many times it is asked for (a signal, then the normal end).
  let cleaning;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      while (cleanups.length > 0) {
        await cleanups
          .pop()()
          .catch((error) => log(`cleanup: ${error.message}`));
      }
    })());
  // Piped into `head` and the pipe closes: keep going and still stop the services at the end.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
  // Ctrl-C must still stop the services we started: first the load, so that they can drain.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      state.stopping = true;
      void cleanUp().finally(() => process.exit(1));
    });
  }

  try {
    return await run(options, runId, cleanups, state);
  } finally {
    await cleanUp();
  }
}

async function run(options, runId, cleanups, state) {
  const problems = [];
  const machine = await machineInfo(options);
  // Read before starting: a rebuild during the run must not be mistaken for the code measured.
  const code = codeInfo(ROOT);
  const serviceEnv = await serviceEnvironment(options, cleanups);
  const amqpUrl = options.start
    ? await prepareVhostAndDatabases(options, serviceEnv)
    : options.rabbitmqUrl;
  // Measured before the services run, so they take no CPU from it.
  const queueType = serviceEnv.RABBITMQ_QUEUE_TYPE ?? process.env.RABBITMQ_QUEUE_TYPE ?? 'quorum';
  if (options.start) log(`queues: ${queueType} (RABBITMQ_QUEUE_TYPE)`);
  const ceiling = await measureCeiling(options, amqpUrl, runId, problems, queueType);
  serviceEnv.RABBITMQ_URL = amqpUrl;
  const instances = options.start
    ? await startServices(options, runId, serviceEnv, cleanups)
    : await findRunningServices(options);
  const ordersUrls = instances
    .filter((instance) => instance.service === 'orders')
    .map((i) => i.url);

  const probes = await startProbes(instances, amqpUrl, cleanups);
  const generate = orderGenerator({ options, runId, ordersUrls, watch: probes.watch, state });
  await warmUp(options, generate, problems);
  // Our own databases only, so their counters are known to be ours.
  const pgActivity = options.start ? await startDatabaseActivity(options, problems) : undefined;
  const { measured, serviceStats, cpuStats } = await measureLoad(
    options,
    generate,
    probes,
    problems,
  );
  const peakRss = peakRssOf(instances);
  const systemTotals = await countOrdersByStatus(ordersUrls[0], problems);
  const database = await pgActivity?.stop(options.orders).catch((error) => {
    problems.push(`cannot read PostgreSQL statistics: ${error.message}`);
    return undefined;
  });

  const pipeline = summarizePipeline(
    measured.records,
    options,
    systemTotals,
    probes.watch.duplicates,
  );
  problems.push(...pipelineProblems(pipeline, measured, options, systemTotals));
  const result = resultOf({
    runId,
    problems,
    options,
    serviceEnv,
    machine,
    code,
    instances,
    measured,
    pipeline,
    serviceStats,
    peakRss,
    cpuStats,
    database,
    ceiling,
  });
  return report(result, options);
}

/** What the started services run with; with --trace, an OTLP sink that counts their spans. */
async function serviceEnvironment(options, cleanups) {
  const serviceEnv = { ...STARTED_SERVICE_ENV, ...options.serviceEnv };
  if (options.trace) {
    const otlpSink = await startOtlpSink();
    cleanups.push(async () => {
      log(`tracing: ${otlpSink.received.requests} OTLP exports, ${otlpSink.received.bytes} bytes`);
      await otlpSink.stop();
    });
    Object.assign(serviceEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.url });
  }
  return serviceEnv;
}

/** --start: a fresh vhost and fresh databases of the bench's own; returns the vhost's URL. */
async function prepareVhostAndDatabases(options, serviceEnv) {
  await assertConnectionBudget({ ...options, env: serviceEnv });
  log(`preparing vhost "${BENCH_VHOST}" and fresh databases bench_<service>`);
  await rabbitAdmin(options.managementUrl).recreateVhost(BENCH_VHOST);
  for (const service of Object.keys(SERVICES))
    await dropDatabase(options.postgresUrl, `bench_${service}`);
  return vhostUrl(options.rabbitmqUrl, BENCH_VHOST);
}

/** The raw broker ceiling of this machine, unless --skip-ceiling; a failure is a problem, not fatal. */
async function measureCeiling(options, amqpUrl, runId, problems, queueType) {
  if (options.skipCeiling) return { skipped: true };
  log(`measuring the broker ceiling (${options.ceilingMessages} messages)`);
  // CPU per process during the ceiling too: it shows which of broker, database and client saturates.
  const ceilingCpu = startCpuSampler({ intervalMs: 500 }); // a ceiling lasts seconds
  ceilingCpu.markWindowStart();
  try {
    const ceiling = await measureBrokerCeiling({
      amqpUrl,
      adminUrl: options.postgresUrl,
      messages: options.ceilingMessages,
      runId,
      queueType,
    });
    ceiling.cpu = await ceilingCpu.stop();
    return ceiling;
  } catch (error) {
    await ceilingCpu.stop();
    problems.push(`broker ceiling failed: ${error.message}`);
    return { error: error.message };
  }
}

/**
 * --start: the setup step (a broker user and database role per service, as npm start does),
 * then every service from dist/apps, ready, and stopped at the end.
 */
async function startServices(options, runId, serviceEnv, cleanups) {
  const rabbitmqAdminUrl = serviceEnv.RABBITMQ_URL;
  const credentials = serviceCredentials({
    services: Object.keys(SERVICES),
    rabbitmqAdminUrl,
    databaseAdminUrl: options.postgresUrl,
    userPrefix: 'bench-',
    databaseOf: (service) => `bench_${service}`,
  });
  await runSetupStep({
    root: ROOT,
    rabbitmqAdminUrl,
    databaseAdminUrl: options.postgresUrl,
    credentials,
    queueType: serviceEnv.RABBITMQ_QUEUE_TYPE,
  });
  log(
    `starting ${options.scale ? 'two instances' : 'one instance'} of each service from dist/apps`,
  );
  const system = await startSystem({
    root: ROOT,
    runId,
    scale: options.scale,
    portOffset: options.portOffset,
    env: serviceEnv,
    databaseUrlOf: (service) => credentials[service].databaseUrl,
    rabbitmqUrlOf: (service) => credentials[service].rabbitmqUrl,
  });
  cleanups.push(() => system.stop());
  log(`services ready; logs in ${system.logDir}`);
  return system.instances;
}

/** A system started elsewhere: where its instances listen, and their pids when local. */
async function findRunningServices(options) {
  const ordersUrl = options.ordersUrl ?? `http://localhost:${SERVICES.orders + options.portOffset}`;
  const instances = instancePlan({
    host: new URL(ordersUrl).hostname,
    scale: options.scale,
    portOffset: options.portOffset,
  });
  instances[0].url = ordersUrl;
  // Local services we did not start: their pids still give CPU per process and VmHWM.
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(ordersUrl).hostname);
  const pids = local ? listeningPids(instances.map((instance) => instance.port)) : new Map();
  for (const instance of instances) instance.pid = pids.get(instance.port);
  const ready = await fetch(`${ordersUrl}/health/ready`, {
    signal: AbortSignal.timeout(5_000),
  }).then(
    (response) => response.status,
    (error) => error.cause?.code ?? error.message,
  );
  if (ready !== 200) {
    throw new Error(
      `orders at ${ordersUrl} is not ready (${ready}); start the system or use --start`,
    );
  }
  return instances;
}

/** What watches the run: terminal events on the broker, the services' metrics, CPU per process. */
async function startProbes(instances, amqpUrl, cleanups) {
  const watch = await watchTerminalEvents(amqpUrl);
  cleanups.push(() => watch.close());
  const metrics = startMetricsSampler(instances);
  cleanups.push(() => metrics.halt());
  const cpu = startCpuSampler({
    knownPids: new Map(
      instances
        .filter((instance) => instance.pid)
        .map((instance) => [instance.pid, instance.label]),
    ),
  });
  return { watch, metrics, cpu };
}

/** `generate(count, offset)`: places orders in a closed or open loop, each awaited to its end. */
function orderGenerator({ options, runId, ordersUrls, watch, state }) {
  /** Places order n (spread over the orders instances) and waits for its terminal event. */
  const placeAndAwait = async (n) => {
    if (state.stopping)
      return { ok: false, error: 'stopped', sentAt: performance.now(), failures: [] };
    const post = await placeOrder(ordersUrls[n % ordersUrls.length], n, `bench-${runId}-${n}`);
    if (!post.ok) return post;
    const remainingMs = options.timeoutMs - (performance.now() - post.sentAt);
    return { ...post, arrival: await watch.waitFor(post.orderId, Math.max(0, remainingMs)) };
  };
  return (count, offset) => {
    const records = [];
    const runOne = async (i) => records.push(await placeAndAwait(offset + i));
    const done =
      options.rate === undefined
        ? closedLoop({ count, concurrency: options.concurrency, run: runOne })
        : openLoop({ count, rate: options.rate, run: runOne });
    return done.then((stats) => ({ records, ...stats }));
  };
}

async function warmUp(options, generate, problems) {
  if (!(options.warmup > 0)) return;
  log(`warm-up: ${options.warmup} orders`);
  const warm = await generate(options.warmup, 0);
  const unfinished = warm.records.filter((record) => !record.arrival).length;
  if (unfinished > 0) problems.push(`${unfinished} warm-up orders did not finish`);
}

function startDatabaseActivity(options, problems) {
  return startPgActivity(
    options.postgresUrl,
    Object.keys(SERVICES).map((service) => `bench_${service}`),
  ).catch((error) => {
    problems.push(`cannot read PostgreSQL statistics: ${error.message}`);
    return undefined;
  });
}

/** The measured orders, with the services' figures and CPU over exactly that window. */
async function measureLoad(options, generate, { watch, metrics, cpu }, problems) {
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
  return { measured, serviceStats, cpuStats };
}

function peakRssOf(instances) {
  return new Map(
    instances
      .filter((instance) => instance.pid)
      .map((instance) => [instance.label, vmHwm(instance.pid)]),
  );
}

/** What the orders service itself holds at the end, by status. */
async function countOrdersByStatus(ordersUrl, problems) {
  const systemTotals = {};
  for (const status of ['PENDING', 'CONFIRMED', 'CANCELLED']) {
    systemTotals[status] = await countOrders(ordersUrl, status).catch((error) => {
      problems.push(`cannot count ${status} orders: ${error.message}`);
      return undefined;
    });
  }
  return systemTotals;
}

/** Why the run is not complete, as far as the orders tell. */
function pipelineProblems(pipeline, measured, options, systemTotals) {
  const problems = [];
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
  return problems;
}

/** The run's figures, as printed and written to the JSON file. */
function resultOf(run) {
  const { options, instances, measured, pipeline, ceiling, cpuStats } = run;
  const result = {
    runId: run.runId,
    finishedAt: new Date().toISOString(),
    complete: run.problems.length === 0,
    problems: run.problems,
    options: { ...options, serviceEnv: options.start ? run.serviceEnv : undefined },
    machine: run.machine,
    code: run.code,
    system: {
      started: options.start,
      description: options.start
        ? `started here: ${instances.length} instances on vhost ${BENCH_VHOST}, env ${Object.entries(
            { ...STARTED_SERVICE_ENV, ...options.serviceEnv },
          )
            .map(([key, value]) => `${key}=${value}`)
            .join(' ')}`
        : `running system at ${instances[0].url}${options.scale ? ' (+ second instances)' : ''}`,
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
    services: run.serviceStats.map((stats) => ({
      ...stats,
      vmHwmBytes: run.peakRss.get(stats.label),
    })),
    cpu: cpuStats && { ...cpuStats, msPerOrder: cpuMsPerOrder(cpuStats, pipeline.terminal) },
    database: run.database,
    ceiling,
    hops: HOPS_PER_CONFIRMED_ORDER,
    ratio: ceiling?.perOrderCeiling
      ? pipeline.ordersPerSecond / ceiling.perOrderCeiling
      : undefined,
  };
  result.aims = aims(result);
  delete result.pipeline.missingOrderIds;
  return result;
}

/** Prints the report, writes the JSON; the exit status says whether the run was complete. */
function report(result, options) {
  process.stdout.write(`\n${formatReport(result)}\n`);
  const jsonFile = resolve(ROOT, options.jsonFile);
  writeJson(jsonFile, result);
  log(`figures written to ${jsonFile}`);
  return result.complete ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`failed: ${error.message}`);
    process.exit(1);
  },
);
