import { createEvent } from '@shop/contracts';
import { encodeEvent, eventMessageProperties, EVENTS_EXCHANGE } from '@shop/rmq';
import { publishEvent, publishRaw, TestSystem, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { OpsClient } from './support/ops-client';
import { ShopClient } from './support/shop-client';

const HEARTBEAT_INTERVAL_MS = 500;

interface TimelineItem {
  eventId: string | null;
  eventType: string | null;
  source: string | null;
  causationId: string | null;
  correlationId: string | null;
  consumers: Array<{ service: string; outcome: string; evidence: string }>;
}

interface InstanceItem {
  service: string;
  instanceId: string;
  status: string;
  startedAt: string;
  lastSeenAt: string;
}

const orderPlaced = (correlationId = randomUUID()) =>
  createEvent(
    'OrderPlaced',
    {
      orderId: randomUUID(),
      customerId: 'journal-judy',
      items: [{ sku: 'SKU-0001', quantity: 1, unitPrice: { amountCents: 1_000, currency: 'EUR' } }],
      total: { amountCents: 1_000, currency: 'EUR' },
    },
    { source: 'orders', correlationId },
  );

describe('ops: the journal, the saga timeline and the instances', () => {
  let system: TestSystem;
  let ops: OpsClient;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await TestSystem.start('ops-journal', {
      services: ['orders', 'billing', 'inventory', 'payments', 'ops'],
      env: { HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS) },
    });
    ops = new OpsClient(system);
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  const journalRows = async (where: string, params: unknown[]) =>
    Number(
      (
        await system
          .db('ops')
          .query<{ count: string }>(`SELECT count(*) FROM journal_events WHERE ${where}`, params)
      )[0].count,
    );

  it("returns a real order's saga in causal order, by orderId and by correlationId, with who handled each event", async () => {
    const placed = await shop.placeOrder('alice', [{ sku: 'SKU-0002', quantity: 1 }]);
    await shop.waitForStatus(placed.orderId, 'CONFIRMED');

    const { body } = await waitFor(
      () => ops.get<{ items: TimelineItem[] }>(`/api/messages?orderId=${placed.orderId}`),
      (response) => response.body.items?.some((item) => item.eventType === 'OrderConfirmed'),
      { description: 'the journal to hold the OrderConfirmed of the order' },
    );
    const items = body.items;
    console.log(
      `timeline of order ${placed.orderId}:\n${items
        .map(
          (item) =>
            `  ${item.eventType} from ${item.source}: ${item.consumers.map((c) => `${c.service}=${c.outcome}`).join(', ')}`,
        )
        .join('\n')}`,
    );

    expect(items[0]).toMatchObject({ eventType: 'OrderPlaced', source: 'orders' });
    // Causal order: every event's cause, when it is in the saga, comes before it.
    const seen = new Set<string>();
    for (const item of items) {
      if (items.some((other) => other.eventId === item.causationId)) {
        expect(seen.has(item.causationId as string)).toBe(true);
      }
      seen.add(item.eventId as string);
    }
    const types = items.map((item) => item.eventType);
    expect(types).toEqual(
      expect.arrayContaining(['OrderPlaced', 'OrderProcessed', 'StockReserved', 'OrderConfirmed']),
    );
    // Billing and inventory both answered OrderPlaced with an event caused by it.
    expect(items[0].consumers).toEqual([
      expect.objectContaining({ service: 'billing', outcome: 'handled' }),
      expect.objectContaining({ service: 'inventory', outcome: 'handled' }),
    ]);

    const byCorrelation = await ops.get<{ items: TimelineItem[] }>(
      `/api/messages?correlationId=${items[0].correlationId}`,
    );
    expect(byCorrelation.body.items.map((item) => item.eventId)).toEqual(
      items.map((item) => item.eventId),
    );
    const byEvent = await ops.get<{ items: TimelineItem[] }>(
      `/api/messages?eventId=${items[items.length - 1].eventId}`,
    );
    expect(byEvent.body.items.map((item) => item.eventId)).toEqual(
      items.map((item) => item.eventId),
    );
  });

  it('answers 400 without orderId, correlationId or eventId', async () => {
    const response = await ops.get<{ message: string }>('/api/messages');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/orderId, correlationId or eventId/);
  });

  it('stores a redelivered event once, and an invalid message too, raw, with why it is invalid', async () => {
    const event = orderPlaced();
    await publishEvent(system.broker.url, event, 2);
    const garbageId = randomUUID();
    await publishRaw(system.broker.url, EVENTS_EXCHANGE, 'order.placed', Buffer.from('{"not":'), {
      messageId: garbageId,
    });

    await waitFor(
      () => journalRows(`event_id = $1`, [garbageId]),
      (count) => count === 1,
      { description: 'the invalid message in the journal' },
    );
    expect(await journalRows(`event_id = $1`, [event.eventId])).toBe(1);
    const [invalid] = await system.db('ops').query<{
      raw: string;
      invalid_reason: string;
    }>(`SELECT raw, invalid_reason FROM journal_events WHERE event_id = $1`, [garbageId]);
    expect(invalid).toEqual({ raw: '{"not":', invalid_reason: expect.stringMatching(/^not JSON/) });
  });

  it('answers 401 without a token on /api/messages and /api/services', async () => {
    const base = system.service('ops').baseUrl;
    for (const path of ['/api/messages?orderId=x', '/api/services']) {
      expect((await fetch(`${base}${path}`)).status).toBe(401);
    }
  });

  it('lists running instances from their heartbeats, and a killed one as missing', async () => {
    const extra = await system.startInstance('billing');
    const { body } = await waitFor(
      () => ops.get<{ items: InstanceItem[] }>('/api/services'),
      (response) =>
        new Set(response.body.items?.filter((i) => i.status === 'up').map((i) => i.service))
          .size === 5 &&
        response.body.items.filter((i) => i.service === 'billing' && i.status === 'up').length ===
          2,
      { description: 'every service up, billing twice' },
    );
    expect(body.items[0]).toEqual({
      service: expect.any(String),
      instanceId: expect.stringMatching(/@.+:\d+$/),
      status: 'up',
      startedAt: expect.any(String),
      lastSeenAt: expect.any(String),
    });

    await extra.kill();
    const after = await waitFor(
      () => ops.get<{ items: InstanceItem[] }>('/api/services'),
      (response) => response.body.items.some((i) => i.status === 'missing'),
      { description: 'the killed billing instance to be missing' },
    );
    const billing = after.body.items.filter((i) => i.service === 'billing');
    expect(billing.map((i) => i.status).sort()).toEqual(['missing', 'up']);
  });

  it('keeps up with a burst of 2,000 events (insert rate printed)', async () => {
    const correlationId = randomUUID();
    const events = Array.from({ length: 2_000 }, () => orderPlaced(correlationId));
    const amqp = await connect(system.broker.url);
    const started = Date.now();
    try {
      const channel = await amqp.createConfirmChannel();
      // A routing key no service binds: only the journal (bound to '#') receives them.
      for (const event of events) {
        channel.publish(
          EVENTS_EXCHANGE,
          'journal.bench',
          encodeEvent(event),
          eventMessageProperties(event),
        );
      }
      await channel.waitForConfirms();
    } finally {
      await amqp.close();
    }
    const published = Date.now();
    await waitFor(
      () => journalRows(`correlation_id = $1`, [correlationId]),
      (count) => count === events.length,
      { description: 'all 2,000 events in the journal', timeoutMs: 60_000, intervalMs: 20 },
    );
    const stored = Date.now();
    const seconds = (stored - started) / 1_000;
    console.log(
      `journal: ${events.length} events published in ${published - started} ms, all stored ${stored - started} ms after the first publish: ${Math.round(events.length / seconds)} events/s`,
    );
  });
});
