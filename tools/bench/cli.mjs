// Command-line options of `npm run bench`: parsed and validated here, so the rest of the bench
// works with plain, checked values.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const RESEED_SCRIPT = new URL('../reseed-inventory.mjs', import.meta.url);

const DEFAULTS = {
  orders: 2000,
  concurrency: 32,
  warmup: 200,
  'timeout-s': 120,
  'ceiling-messages': 20_000,
  'rabbitmq-url': 'amqp://guest:guest@localhost:5672',
  'management-url': 'http://guest:guest@localhost:15672',
  'postgres-url': 'postgres://postgres@localhost:5432/postgres',
  json: 'tmp/bench-results.json',
  'port-offset': 0,
};

const SPEC = {
  orders: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  warmup: { type: 'string' },
  scale: { type: 'boolean', default: false },
  start: { type: 'boolean', default: false },
  'orders-url': { type: 'string' },
  'rabbitmq-url': { type: 'string' },
  'management-url': { type: 'string' },
  'postgres-url': { type: 'string' },
  'port-offset': { type: 'string' },
  env: { type: 'string', multiple: true },
  json: { type: 'string' },
  'timeout-s': { type: 'string' },
  trace: { type: 'boolean', default: false },
  'skip-ceiling': { type: 'boolean', default: false },
  'ceiling-messages': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

export function helpText() {
  const reseed = existsSync(RESEED_SCRIPT)
    ? `
Stock: every order takes 1 unit of SKU-0001..SKU-0005 (1,000,000 each at seed). --start uses
fresh databases, so it never runs low; against a long-running system re-seed with
  node tools/reseed-inventory.mjs`
    : '';
  return `Usage: node tools/bench/bench.mjs [options]      (npm run bench -- [options])

Places orders over HTTP, waits until each is CONFIRMED or CANCELLED (seen as order.confirmed /
order.cancelled on shop.events), and prints throughput, POST-to-terminal latency, peak RSS
per service, CPU per process and, in the same run, the raw broker ceiling for one hop.

Load
  --orders N            orders measured (default ${DEFAULTS.orders})
  --concurrency C       closed loop: C customers, each places its next order once the last one
                        is terminal (default ${DEFAULTS.concurrency})
  --rate R              open loop instead: R orders/s offered whatever the system does
  --warmup W            orders placed and awaited before measuring (default ${DEFAULTS.warmup})
  --timeout-s S         an order not terminal S seconds after its POST is missing (default ${DEFAULTS['timeout-s']})

System
  --start               start the four services from dist/apps on vhost "bench" with fresh
                        databases bench_<service> (dropped first; left for inspection after),
                        LOG_LEVEL=warn; stopped with SIGTERM at the end
  --scale               a second instance of each service (port +10); POSTs alternate between
                        the two orders instances. Without --start they must already run.
  --env KEY=VALUE       extra env for started services (repeatable), e.g. RABBITMQ_PREFETCH=50
  --trace               started services export every span (OTLP/HTTP) to a sink in the bench
                        that only counts them: the cost of tracing, without a collector's
  --port-offset K       services on ports 3001+K..3004+K instead of 3001..3004 (default 0)
  --orders-url URL      orders service of a running system (default http://localhost:3001+K);
                        the others' metrics are read on the same host, ports 3002+K..3004+K
  --rabbitmq-url URL    broker of a running system (default ${DEFAULTS['rabbitmq-url']})
  --management-url URL  RabbitMQ management API (default ${DEFAULTS['management-url']})
  --postgres-url URL    PostgreSQL admin connection (default ${DEFAULTS['postgres-url']})

Broker ceiling
  --skip-ceiling        do not measure it
  --ceiling-messages M  messages for the hop ceiling (default ${DEFAULTS['ceiling-messages']})

Output
  --json FILE           figures as JSON (default ${DEFAULTS.json})
  -h, --help            this text

Exit status 0 when every order became terminal and nothing failed, 1 otherwise.
Build first: npx nx run-many -t build --projects=tag:type:app${reseed}
`;
}

/** Returns the options, or throws an Error whose message is meant for the user. */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: SPEC,
    strict: true,
    allowPositionals: false,
  });
  const pick = (name) => values[name] ?? DEFAULTS[name];
  const options = {
    help: values.help,
    orders: integer('--orders', pick('orders'), 1),
    concurrency: integer('--concurrency', pick('concurrency'), 1),
    rate: values.rate === undefined ? undefined : number('--rate', values.rate),
    warmup: integer('--warmup', pick('warmup'), 0),
    timeoutMs: number('--timeout-s', pick('timeout-s')) * 1000,
    scale: values.scale,
    start: values.start,
    ordersUrl:
      values['orders-url'] === undefined ? undefined : url('--orders-url', values['orders-url']),
    rabbitmqUrl: url('--rabbitmq-url', pick('rabbitmq-url')),
    managementUrl: url('--management-url', pick('management-url')),
    postgresUrl: url('--postgres-url', pick('postgres-url')),
    portOffset: integer('--port-offset', pick('port-offset'), 0),
    serviceEnv: parseEnv(values.env ?? []),
    trace: values.trace,
    jsonFile: pick('json'),
    skipCeiling: values['skip-ceiling'],
    ceilingMessages: integer('--ceiling-messages', pick('ceiling-messages'), 1),
  };
  if (values.concurrency !== undefined && options.rate !== undefined) {
    throw new Error('use either --concurrency (closed loop) or --rate (open loop), not both');
  }
  if (!options.start && values.trace)
    throw new Error('--trace applies to services started with --start');
  if (!options.start && values.env)
    throw new Error('--env applies to services started with --start');
  if (options.start && options.ordersUrl) {
    throw new Error('--orders-url names a running system; with --start the bench runs its own');
  }
  return options;
}

function number(flag, raw) {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} expects a number > 0`);
  return value;
}

function integer(flag, raw, min) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${flag} expects an integer ≥ ${min}`);
  return value;
}

function url(flag, raw) {
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new Error(`${flag} expects a URL, got "${raw}"`);
  }
}

function parseEnv(pairs) {
  const env = {};
  for (const pair of pairs) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`--env expects KEY=VALUE, got "${pair}"`);
    env[match[1]] = match[2];
  }
  return env;
}
