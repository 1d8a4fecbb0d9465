import { DomainEvent } from '@shop/contracts';
import {
  OrderRequest,
  placeOrders,
  publishEvent,
  reportFigures,
  ServiceName,
  SystemChecks,
  TestSystem,
  uniqueSuffix,
  unreconciledCharges,
  waitFor,
} from '@shop/testing';
import { restartBroker, stopDatabaseFor } from './support/infrastructure';

const SERVICES: ServiceName[] = ['orders', 'billing', 'inventory', 'payments'];
const ORDER_COUNT = Number(process.env['CHAOS_ORDERS'] ?? 300);
const CONCURRENCY = 8;
const DUPLICATED_EVENTS = 60;
const SKUS = ['SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0004', 'SKU-0005'];
// A short retry ladder (250 + 500 + 1000 + 1000 ms, then the DLQ), set through the env vars
// users have, and a PostgreSQL outage several times longer: only the consumers' circuit
// breaker keeps the backlog out of the dead-letter queues.
const RETRY_ENV = { RETRY_DELAYS_MS: '250,500,1000', RETRY_MAX_ATTEMPTS: '5' };
const RETRY_LADDER_MS = 250 + 500 + 1000 + 1000;
const DATABASE_OUTAGE_MS = 12_000;

type Expected = { status: 'CONFIRMED' } | { status: 'CANCELLED'; reason: string };

/** Every order's fate follows from the demo rules, whatever faults happen on the way. */
function orderRequest(index: number): OrderRequest & { expected: Expected } {
  const sku = SKUS[index % SKUS.length];
  if (index % 25 === 0) {
    return {
      customerId: `chaos-${index}`,
      items: [
        { sku, quantity: 1 },
        { sku: 'SKU-SOLDOUT', quantity: 1 },
      ],
      expected: { status: 'CANCELLED', reason: 'OUT_OF_STOCK' },
    };
  }
  if (index % 10 === 7) {
    return {
      customerId: `fraud-${index}`,
      items: [{ sku, quantity: 1 }],
      expected: { status: 'CANCELLED', reason: 'FRAUD' },
    };
  }
  if (index % 10 === 8) {
    return {
      customerId: `declined-${index}`,
      items: [{ sku, quantity: 2 }],
      expected: { status: 'CANCELLED', reason: 'PAYMENT_DECLINED' },
    };
  }
  return {
    customerId: `chaos-${index}`,
    items: [{ sku, quantity: 1 + (index % 3) }],
    expected: { status: 'CONFIRMED' },
  };
}

interface FaultLog {
  fault: string;
  atOrder: number;
  tookMs: number;
}

describe('chaos: the whole system keeps every order, and does nothing twice', () => {
  let system: TestSystem;
  let checks: SystemChecks;

  beforeAll(async () => {
    system = await TestSystem.start('chaos', { services: SERVICES, env: RETRY_ENV });
    checks = new SystemChecks(system, SERVICES);
    // (d) a second billing instance competes on billing.events for the whole run.
    await system.startInstance('billing');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('survives a broker restart, a database outage longer than the retry ladder, a killed consumer, a competing consumer and duplicates', async () => {
    const started = Date.now();
    const stockBefore = await stockLevels();
    const faults: FaultLog[] = [];
    const pendingFaults: Array<Promise<void>> = [];
    const inject = (fault: string, atOrder: number, action: () => Promise<number> | number) => {
      pendingFaults.push(
        (async () => {
          faults.push({ fault, atOrder, tookMs: await action() });
        })(),
      );
    };
    const triggered = new Set<string>();
    const once = (name: string, run: () => void) => {
      if (!triggered.has(name)) {
        triggered.add(name);
        run();
      }
    };

    const load = await placeOrders({
      baseUrl: () => system.service('orders').baseUrl,
      count: ORDER_COUNT,
      concurrency: CONCURRENCY,
      runId: `chaos-${uniqueSuffix()}`,
      request: (index) => {
        const { customerId, items } = orderRequest(index);
        return { customerId, items };
      },
      onAccepted: (accepted) => {
        // (a) the broker goes away while orders keep coming in: the outbox holds them.
        if (accepted >= ORDER_COUNT * 0.15)
          once('broker', () => inject('RabbitMQ restarted', accepted, () => restartBroker()));
        // (b) the database goes away for longer than the whole retry ladder: consumers pause
        // instead of burning attempts, POSTs answer 503 and are retried.
        if (accepted >= ORDER_COUNT * 0.45)
          once('database', () =>
            inject(
              `PostgreSQL down ${DATABASE_OUTAGE_MS / 1000} s (retry ladder ${RETRY_LADDER_MS / 1000} s)`,
              accepted,
              () => stopDatabaseFor(DATABASE_OUTAGE_MS),
            ),
          );
        // (c) one billing instance dies mid-flight (SIGKILL: no acks, no flush) and comes back.
        if (accepted >= ORDER_COUNT * 0.7) {
          once('kill', () =>
            inject('billing SIGKILLed and restarted', accepted, async () => {
              const t0 = Date.now();
              await system.instances('billing')[0].kill();
              await system.startInstance('billing');
              return Date.now() - t0;
            }),
          );
        }
      },
    });
    await Promise.all(pendingFaults);
    const placedAt = Date.now();

    // (e) deliveries duplicated: events every service already handled are published again.
    const duplicates = await republishHandledEvents(DUPLICATED_EVENTS);
    faults.push({
      fault: `${duplicates.length} handled events delivered again`,
      atOrder: ORDER_COUNT,
      tookMs: 0,
    });

    await waitFor(
      async () =>
        (await system.service('orders').get<{ total: number }>('/orders?status=PENDING&limit=1'))
          .body.total,
      (pending) => pending === 0,
      {
        timeoutMs: 240_000,
        intervalMs: 500,
        description: 'every order to reach a terminal status',
      },
    );
    const drainedAt = Date.now();
    await waitFor(outboxBacklog, (backlog) => backlog === 0, {
      timeoutMs: 60_000,
      description: 'every outbox to drain',
    });
    await waitFor(duplicatesAbsorbed, (absorbed) => absorbed >= duplicates.length, {
      timeoutMs: 60_000,
      description: 'the duplicated deliveries to be absorbed',
    });

    // Every accepted order exists once and ended exactly as the demo rules say.
    expect(load.placed).toHaveLength(ORDER_COUNT);
    expect(new Set(load.placed.map((order) => order.orderId)).size).toBe(ORDER_COUNT);
    const finals = await finalOrders();
    expect(finals.size).toBe(ORDER_COUNT);
    const wrong = load.placed.filter(
      (order) => !matches(finals.get(order.orderId), orderRequest(order.index).expected),
    );
    expect(wrong.map((order) => ({ index: order.index, got: finals.get(order.orderId) }))).toEqual(
      [],
    );

    // Billing: exactly one invoice per order that was not fraud, none for fraud.
    const invoices = await countBy(
      'billing',
      'SELECT order_id AS key, count(*)::int AS n FROM invoices GROUP BY order_id',
    );
    for (const order of load.placed) {
      expect([order.index, invoices.get(order.orderId) ?? 0]).toEqual([
        order.index,
        order.customerId.startsWith('fraud-') ? 0 : 1,
      ]);
    }
    // Payments: at most one payment per order, and every charge or refund the gateway made
    // belongs to exactly one payment: nobody was charged (or refunded) twice.
    const paymentsPerOrder = await countBy(
      'payments',
      'SELECT order_id AS key, count(*)::int AS n FROM payments GROUP BY order_id',
    );
    expect([...paymentsPerOrder.values()].filter((n) => n > 1)).toEqual([]);
    const ledger = await countBy(
      'payments',
      `SELECT kind || ':' || outcome AS key, count(*)::int AS n FROM gateway_operations GROUP BY kind, outcome`,
    );
    const paymentStatuses = await countBy(
      'payments',
      'SELECT status AS key, count(*)::int AS n FROM payments GROUP BY status',
    );
    expect(ledger.get('charge:captured') ?? 0).toBe(
      (paymentStatuses.get('CAPTURED') ?? 0) + (paymentStatuses.get('REFUNDED') ?? 0),
    );
    expect(ledger.get('refund:refunded') ?? 0).toBe(paymentStatuses.get('REFUNDED') ?? 0);
    const captured = await countBy(
      'payments',
      `SELECT order_id AS key, count(*)::int AS n FROM payments WHERE status = 'CAPTURED' GROUP BY order_id`,
    );
    const confirmed = load.placed.filter(
      (order) => finals.get(order.orderId)?.status === 'CONFIRMED',
    );
    expect(captured.size).toBe(confirmed.length);
    for (const order of confirmed) expect(captured.get(order.orderId)).toBe(1);

    // Inventory: stock moved by exactly the confirmed quantities; every cancellation gave its stock back.
    const stockAfter = await stockLevels();
    for (const sku of SKUS) {
      const sold = confirmed
        .flatMap((order) => order.items)
        .filter((item) => item.sku === sku)
        .reduce((sum, item) => sum + item.quantity, 0);
      expect([sku, stockBefore.get(sku)! - stockAfter.get(sku)!]).toEqual([sku, sold]);
    }

    // Reconciliation: every charge the gateway captured is a CAPTURED payment or was
    // refunded exactly once, whatever crashed or restarted between the charge and its commit.
    expect(await unreconciledCharges(system.db('payments'))).toEqual([]);

    // No dead-letter queue holds a valid event: every failure on the way was transient, and
    // the database outage, several times longer than the retry ladder, cost no attempt.
    const parked = await deadLetters();
    expect(parked.valid).toEqual([]);
    const exhausted = await Promise.all(
      SERVICES.map((service) =>
        system.metric(service, 'shop_messages_dead_lettered_total', {
          reason: 'retries-exhausted',
        }),
      ),
    );
    expect(exhausted).toEqual([0, 0, 0, 0]);

    const figures = {
      orders: ORDER_COUNT,
      confirmed: confirmed.length,
      cancelled: tally(
        load.placed.map((order) => finals.get(order.orderId)?.reason).filter(Boolean) as string[],
      ),
      faults,
      httpRetriesDuringFaults: load.retriedPosts,
      duplicatesAbsorbed: await duplicatesAbsorbed(),
      // Deliveries put back during outages without counting an attempt (circuit breaker).
      requeuedWithoutAttempt: await requeuedWithoutAttempt(),
      invalidMessagesInDlqs: parked.invalid,
      secondsToPlaceOrders: round((placedAt - started) / 1000),
      secondsFromLastOrderToAllTerminal: round((drainedAt - placedAt) / 1000),
      secondsInAll: round((Date.now() - started) / 1000),
    };
    reportFigures('chaos', figures);
  });

  const stockLevels = () => checks.stockLevels();
  const finalOrders = () => checks.finalOrders();
  const countBy = (service: ServiceName, sql: string) => checks.countBy(service, sql);
  const outboxBacklog = () => checks.outboxBacklog();
  const duplicatesAbsorbed = () => checks.duplicatesAbsorbed();
  // Deliveries put back during outages without counting an attempt (circuit breaker).
  const requeuedWithoutAttempt = () => checks.metricPerService('shop_messages_requeued_total');
  const deadLetters = () => checks.deadLetters();

  /** Republishes events from the services' outboxes: each has been handled already. */
  async function republishHandledEvents(count: number): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    for (const service of SERVICES) {
      const rows = await system.db(service).query<{
        envelope: DomainEvent;
      }>('SELECT envelope FROM outbox WHERE published_at IS NOT NULL ORDER BY random() LIMIT $1', [Math.ceil(count / SERVICES.length)]);
      events.push(...rows.map((row) => row.envelope));
    }
    for (const event of events) await publishEvent(system.broker.url, event);
    return events;
  }
});

function matches(
  actual: { status: string; reason: string | null } | undefined,
  expected: Expected,
): boolean {
  if (!actual || actual.status !== expected.status) return false;
  return expected.status === 'CONFIRMED' || actual.reason === expected.reason;
}

function tally(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>(
    (counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }),
    {},
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
