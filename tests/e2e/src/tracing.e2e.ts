import { EventType } from '@shop/contracts';
import { SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import {
  FAST_RETRY_ENV,
  formatTraceTree,
  OtlpReceiver,
  ReceivedSpan,
  SpanKinds,
  TestSystem,
  waitFor,
} from '@shop/testing';
import { ShopClient } from './support/shop-client';

const SERVICES = ['orders', 'billing', 'inventory', 'payments'] as const;

/** Services subscribed to an event type: each publish of it must have that many consumers. */
function subscribersOf(eventType: string): number {
  return Object.values(SHOP_SUBSCRIPTIONS).filter((types) =>
    (types as readonly EventType[]).includes(eventType as EventType),
  ).length;
}

/** The trace of an order: the one its `POST /orders` span started. */
function traceIdOf(spans: ReceivedSpan[], orderId: string): string | undefined {
  return spans.find(
    (span) =>
      span.kind === SpanKinds.server &&
      span.attributes['shop.order_id'] === orderId &&
      span.name.startsWith('POST'),
  )?.traceId;
}

/**
 * Whether every span's parent has arrived and every publish has been consumed by each of its
 * subscribers (its last attempt finished): the saga's trace is whole.
 */
function isComplete(trace: ReceivedSpan[]): boolean {
  const ids = new Set(trace.map((span) => span.spanId));
  if (trace.some((span) => span.parentSpanId && !ids.has(span.parentSpanId))) return false;
  return trace
    .filter((span) => span.kind === SpanKinds.producer)
    .every((producer) => {
      const settled = trace.filter(
        (span) =>
          span.parentSpanId === producer.spanId &&
          span.kind === SpanKinds.consumer &&
          span.attributes['shop.outcome'] === 'success',
      );
      return settled.length === subscribersOf(String(producer.attributes['shop.event_type']));
    });
}

async function wholeTraceOf(receiver: OtlpReceiver, orderId: string): Promise<ReceivedSpan[]> {
  return waitFor(
    () => {
      const traceId = traceIdOf(receiver.spans(), orderId);
      return traceId ? receiver.trace(traceId) : [];
    },
    (trace) => trace.length > 0 && isComplete(trace),
    { timeoutMs: 30_000, description: `the whole trace of order ${orderId}` },
  );
}

/**
 * One order is one trace across the four services: `POST /orders`, the outbox row, the relay's
 * publish, each consumer, its SQL, its own outbox rows, and so on. Spans go to an OTLP/HTTP
 * receiver in this process.
 */
describe('tracing (OpenTelemetry, W3C traceparent through the outbox and the broker)', () => {
  let receiver: OtlpReceiver;
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    system = await TestSystem.start('tracing', {
      services: [...SERVICES],
      env: { ...FAST_RETRY_ENV, ...receiver.env() },
    });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
    await receiver?.stop();
  });

  it('a confirmed order is one trace through all four services, every span linked to its parent', async () => {
    const placed = await shop.placeOrder('alice', [{ sku: 'SKU-0002', quantity: 1 }]);
    await shop.waitForStatus(placed.orderId, 'CONFIRMED');

    const trace = await wholeTraceOf(receiver, placed.orderId);
    process.stdout.write(`\ntrace of a confirmed order:\n${formatTraceTree(trace)}\n`);

    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(SERVICES));
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const roots = trace.filter((span) => !span.parentSpanId);
    expect(roots).toEqual([expect.objectContaining({ service: 'orders', kind: SpanKinds.server })]);
    expect(roots[0].attributes).toMatchObject({
      'shop.order_id': placed.orderId,
      'shop.correlation_id': expect.any(String),
    });
    for (const span of trace.filter((candidate) => candidate !== roots[0])) {
      expect(byId.has(span.parentSpanId as string)).toBe(true);
    }
    const consumers = trace.filter((span) => span.kind === SpanKinds.consumer);
    expect(consumers.length).toBeGreaterThanOrEqual(5);
    for (const consumer of consumers) {
      const producer = byId.get(consumer.parentSpanId as string) as ReceivedSpan;
      // The consumer's parent is the publish of the very message it handled.
      expect(producer.kind).toBe(SpanKinds.producer);
      expect(producer.attributes['messaging.message.id']).toBe(
        consumer.attributes['messaging.message.id'],
      );
      expect(consumer.attributes).toMatchObject({
        'messaging.system': 'rabbitmq',
        'messaging.operation': 'process',
        'messaging.destination.name': `${consumer.service}.events`,
        'messaging.rabbitmq.destination.routing_key': expect.any(String),
        'shop.order_id': placed.orderId,
        'shop.correlation_id': roots[0].attributes['shop.correlation_id'],
        'shop.event_type': expect.any(String),
        'shop.attempt': 1,
      });
    }
    // Handlers' SQL runs inside their consumer span.
    expect(
      trace.some(
        (span) =>
          span.kind === SpanKinds.client &&
          byId.get(span.parentSpanId as string)?.kind === SpanKinds.consumer,
      ),
    ).toBe(true);
  });

  it('a message retried twice stays in its trace: three consumer spans of one publish, attempts 1 to 3', async () => {
    const placed = await shop.placeOrder('flaky-fred', [{ sku: 'SKU-0001', quantity: 1 }]);
    await shop.waitForStatus(placed.orderId, 'CONFIRMED');

    const trace = await wholeTraceOf(receiver, placed.orderId);
    process.stdout.write(
      `\ntrace of an order whose payment was retried twice (SQL left out):\n${formatTraceTree(
        trace.filter((span) => !span.name.startsWith('pg')),
      )}\n`,
    );

    const attempts = trace
      .filter(
        (span) =>
          span.kind === SpanKinds.consumer &&
          span.attributes['shop.event_type'] === 'PaymentRequested',
      )
      .sort((a, b) => Number(a.attributes['shop.attempt']) - Number(b.attributes['shop.attempt']));
    expect(attempts.map((span) => span.attributes['shop.attempt'])).toEqual([1, 2, 3]);
    expect(attempts.map((span) => span.attributes['shop.outcome'])).toEqual([
      'retry',
      'retry',
      'success',
    ]);
    expect(new Set(attempts.map((span) => span.parentSpanId)).size).toBe(1);
    // The failed attempts say why.
    expect(attempts.map((span) => span.statusCode)).toEqual([2, 2, 0]);
    expect(attempts[0].events).toContain('exception');
    expect(attempts[1].events).toContain('exception');
  });

  it('30 concurrent orders: the relay publishes each in its own trace, never mixing them', async () => {
    const placed = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        shop.placeOrder(`load-${i}`, [{ sku: 'SKU-0003', quantity: 1 }]),
      ),
    );
    const orderIds = placed.map((order) => order.orderId);
    await Promise.all(orderIds.map((orderId) => shop.waitForStatus(orderId, 'CONFIRMED', 60_000)));
    await Promise.all(orderIds.map((orderId) => wholeTraceOf(receiver, orderId)));

    // Each `GET /orders/:id` the waiting above made is a trace of its own, tagged with the order.
    const readTraces = new Set(
      receiver
        .spans()
        .filter((span) => span.kind === SpanKinds.server && span.name.startsWith('GET'))
        .map((span) => span.traceId),
    );
    const traceIdsByOrder = new Map<string, Set<string>>();
    const orderIdsByTrace = new Map<string, Set<string>>();
    for (const span of receiver.spans()) {
      const orderId = span.attributes['shop.order_id'];
      if (typeof orderId !== 'string' || !orderIds.includes(orderId)) continue;
      if (readTraces.has(span.traceId)) continue;
      traceIdsByOrder.set(orderId, (traceIdsByOrder.get(orderId) ?? new Set()).add(span.traceId));
      orderIdsByTrace.set(
        span.traceId,
        (orderIdsByTrace.get(span.traceId) ?? new Set()).add(orderId),
      );
    }
    expect(traceIdsByOrder.size).toBe(30);
    for (const [orderId, traceIds] of traceIdsByOrder) {
      expect({ orderId, traces: traceIds.size }).toEqual({ orderId, traces: 1 });
    }
    for (const [traceId, ordersInTrace] of orderIdsByTrace) {
      expect({ traceId, orders: [...ordersInTrace] }).toEqual({
        traceId,
        orders: [expect.any(String)],
      });
    }
    expect(orderIdsByTrace.size).toBe(30);
  });
});

describe('tracing off (no OTEL_* variable set)', () => {
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await TestSystem.start('tracing_off', { services: ['orders'] });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  // No SDK started: no span exists to store with the row, to put in the headers or in the logs.
  it('takes orders with no trace context in the outbox and no trace ids in the logs', async () => {
    const placed = await shop.placeOrder('alice', [{ sku: 'SKU-0001', quantity: 1 }]);

    const rows = await waitFor(
      () =>
        system.db('orders').query<{ trace_context: string | null; published: boolean }>(
          `SELECT trace_context, published_at IS NOT NULL AS published FROM outbox
             WHERE envelope->'data'->>'orderId' = $1`,
          [placed.orderId],
        ),
      (found) => found.length === 1 && found[0].published,
      { description: 'OrderPlaced to be published' },
    );
    expect(rows).toEqual([{ trace_context: null, published: true }]);
    expect(system.service('orders').logs()).not.toContain('trace_id');
  });
});
