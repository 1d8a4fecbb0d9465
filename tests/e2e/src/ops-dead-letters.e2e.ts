import { createEvent, DomainEvent } from '@shop/contracts';
import { FAST_RETRY_ENV, publishEvent, TestSystem, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { OpsClient } from './support/ops-client';
import { Invoice } from './support/shop-client';

interface Item {
  id: string;
  service: string;
  eventId: string | null;
  eventType: string | null;
  orderId: string | null;
  reason: string;
  status: string;
  failures: number;
  attempts: number;
  group: { id: string; title: string };
}
interface Detail extends Item {
  payload: unknown;
  headers: Record<string, unknown>;
  history: Array<{
    at: string;
    kind: string;
    actor: string | null;
    reason: string | null;
    detail: string | null;
  }>;
}
interface Page {
  items: Item[];
  total: number;
}
interface Job {
  id: string;
  status: string;
  total: number;
  sent: number;
  skipped: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
}

const SKU_LINE = {
  sku: 'SKU-0001',
  quantity: 1,
  unitPrice: { amountCents: 1000, currency: 'EUR' },
};

/** An OrderPlaced whose data breaks the contract (no total): every consumer dead-letters it. */
function poisonOrderPlaced(): DomainEvent<'OrderPlaced'> {
  const orderId = randomUUID();
  const event = createEvent(
    'OrderPlaced',
    {
      orderId,
      customerId: 'poison-pete',
      items: [SKU_LINE],
      total: { amountCents: 1000, currency: 'EUR' },
    },
    { source: 'orders', correlationId: randomUUID() },
  );
  const { total: _total, ...withoutTotal } = event.data;
  return { ...event, data: withoutTotal } as unknown as DomainEvent<'OrderPlaced'>;
}

describe('ops: the dead-letter office', () => {
  let system: TestSystem;
  let ops: OpsClient;

  const recordsOf = async (orderId: string) =>
    (await ops.get<Page>(`/api/dead-letters?q=${orderId}`)).body;

  const waitForRecords = (orderId: string, count: number, description: string) =>
    waitFor(
      () => recordsOf(orderId),
      (page) => page.total === count,
      { description, timeoutMs: 30_000 },
    );

  const detail = async (id: string) => (await ops.get<Detail>(`/api/dead-letters/${id}`)).body;

  beforeAll(async () => {
    system = await TestSystem.start('ops-dlq', {
      services: ['ops', 'billing', 'inventory'],
      env: FAST_RETRY_ENV,
    });
    ops = new OpsClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('collects a poison OrderPlaced as two dead letters, one per failing service, with its story', async () => {
    const event = poisonOrderPlaced();
    await publishEvent(system.broker.url, event);

    const page = await waitForRecords(event.data.orderId, 2, 'billing and inventory dead letters');
    expect(page.items.map((item) => item.service).sort()).toEqual(['billing', 'inventory']);
    for (const item of page.items) {
      expect(item).toMatchObject({
        eventId: event.eventId,
        eventType: 'OrderPlaced',
        orderId: event.data.orderId,
        reason: 'invalid-payload',
        status: 'unresolved',
        failures: 1,
      });
      const full = await detail(item.id);
      expect(full.payload).toEqual(event);
      expect(full.headers['x-dead-letter-reason']).toBe('invalid-payload');
      expect(full.history.map((entry) => entry.kind)).toEqual(['dead-lettered']);
    }
  });

  it("retries billing's dead letter in billing only: it fails again into the same record, inventory sees nothing", async () => {
    const event = poisonOrderPlaced();
    await publishEvent(system.broker.url, event);
    const page = await waitForRecords(event.data.orderId, 2, 'both dead letters');
    const billing = page.items.find((item) => item.service === 'billing')!;
    const inventory = page.items.find((item) => item.service === 'inventory')!;
    const inventoryConsumed = await system
      .service('inventory')
      .metric('shop_messages_consumed_total');

    // Billing is stopped while the retry is outstanding, so the replay waits in billing.events
    // (a poison message would otherwise fail again at once, before the second request).
    await system.service('billing').stop();
    const retried = await ops.post<Item>(`/api/dead-letters/${billing.id}/retry`, {
      reason: 'try again',
    });
    expect(retried).toMatchObject({ status: 202, body: { status: 'retrying' } });
    expect((await ops.post(`/api/dead-letters/${billing.id}/retry`, {})).status).toBe(409);
    await waitFor(
      () => system.broker.admin.queue(system.broker.vhost, 'billing.events'),
      (queue) => queue?.messages === 1,
      { description: 'the replay to wait in billing.events', timeoutMs: 20_000 },
    );
    await system.startInstance('billing');

    const back = await waitFor(
      () => detail(billing.id),
      (letter) => letter.failures === 2,
      { description: 'the retry to fail again into the same record', timeoutMs: 30_000 },
    );
    expect(back.status).toBe('unresolved');
    expect(back.history.map((entry) => entry.kind)).toEqual([
      'dead-lettered',
      'retry-sent',
      'retry-failed',
    ]);
    expect(back.history[1]).toMatchObject({ actor: 'operator', reason: 'try again' });
    expect((await recordsOf(event.data.orderId)).total).toBe(2);
    expect((await detail(inventory.id)).failures).toBe(1);
    expect(await system.service('inventory').metric('shop_messages_consumed_total')).toBe(
      inventoryConsumed,
    );
  });

  it('edit-and-retry of a schema-invalid OrderPlaced produces an invoice and resolves the dead letter', async () => {
    const event = poisonOrderPlaced();
    await publishEvent(system.broker.url, event);
    const page = await waitForRecords(event.data.orderId, 2, 'both dead letters');
    const billing = page.items.find((item) => item.service === 'billing')!;

    const invalid = await ops.post(`/api/dead-letters/${billing.id}/retry`, {
      data: { ...event.data, total: 'a lot' },
    });
    expect(invalid.status).toBe(400);

    const fixed = { ...event.data, total: { amountCents: 1000, currency: 'EUR' } };
    const edited = await ops.post<Item>(`/api/dead-letters/${billing.id}/retry`, {
      data: fixed,
      reason: 'total was missing',
    });
    expect(edited).toMatchObject({ status: 202, body: { status: 'resolved' } });

    const invoices = await waitFor(
      async () =>
        (await system.service('billing').get<Invoice[]>(`/invoices?orderId=${event.data.orderId}`))
          .body,
      (found) => found.length === 1,
      { description: 'the invoice of the edited OrderPlaced' },
    );
    expect(invoices[0].orderPlacedEventId).not.toBe(event.eventId);
    const history = await waitFor(
      () => detail(billing.id),
      (letter) => letter.history.some((entry) => entry.kind === 'retry-succeeded'),
      { description: "billing's acknowledgement of the edited retry" },
    );
    expect(history.history.map((entry) => entry.kind)).toEqual([
      'dead-lettered',
      'edited-and-retried',
      'retry-succeeded',
    ]);
    const audit = (
      await ops.get<{ items: Array<{ action: string; deadLetterIds: string[] }> }>('/api/audit')
    ).body;
    expect(audit.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'edit-and-retry', deadLetterIds: [billing.id] }),
      ]),
    );
  });

  it('bulk-retries a whole group at the rate asked for, as the history of each send shows', async () => {
    const events = Array.from({ length: 5 }, poisonOrderPlaced);
    for (const event of events) await publishEvent(system.broker.url, event);
    for (const event of events) await waitForRecords(event.data.orderId, 2, 'dead letters');
    const first = (await recordsOf(events[0].data.orderId)).items.find(
      (i) => i.service === 'billing',
    )!;
    const groupId = first.group.id;
    const ratePerSecond = 4;

    const created = await ops.post<{ job: Job }>('/api/dead-letters/retry', {
      groupId,
      ratePerSecond,
      reason: 'bulk',
    });
    expect(created.status).toBe(202);
    const job = await waitFor(
      async () => (await ops.get<Job>(`/api/retry-jobs/${created.body.job.id}`)).body,
      (each) => each.status === 'finished',
      { description: 'the bulk retry job to finish', timeoutMs: 30_000 },
    );
    expect(job.failed).toBe(0);
    expect(job.sent + job.skipped).toBe(job.total);
    expect(job.sent).toBeGreaterThanOrEqual(5);

    const group = (await ops.get<Page>(`/api/dead-letters?groupId=${groupId}&limit=200`)).body;
    const sends: number[] = [];
    for (const item of group.items) {
      const letter = await detail(item.id);
      for (const entry of letter.history)
        if (entry.kind === 'retry-sent' && entry.reason === 'bulk')
          sends.push(Date.parse(entry.at));
    }
    sends.sort((a, b) => a - b);
    const gaps = sends.slice(1).map((at, index) => at - sends[index]);
    console.log(
      `bulk retry at ${ratePerSecond}/s: ${sends.length} sends, gaps ${gaps.join(', ')} ms (min ${Math.min(...gaps)} ms; ${1000 / ratePerSecond} ms apart on average)`,
    );
    expect(sends).toHaveLength(job.sent);
    // The limiter sleeps until each send's slot (it may catch up after a late send, so single
    // gaps say little on a busy machine): the job cannot finish before its last slot, however
    // loaded the machine is. Without the limiter, these sends would take a few milliseconds.
    const tookMs = Date.parse(job.finishedAt!) - Date.parse(job.createdAt);
    expect(tookMs).toBeGreaterThanOrEqual(((job.sent - 1) * 1000) / ratePerSecond);
  });

  it('archives and unarchives with a reason, audited; there is no way to delete', async () => {
    const event = poisonOrderPlaced();
    await publishEvent(system.broker.url, event);
    const [item] = (await waitForRecords(event.data.orderId, 2, 'dead letters')).items;

    expect((await ops.post(`/api/dead-letters/${item.id}/archive`, {})).status).toBe(400);
    const archived = await ops.post<Item>(`/api/dead-letters/${item.id}/archive`, {
      reason: 'known test data',
    });
    expect(archived).toMatchObject({ status: 200, body: { status: 'archived' } });
    expect((await ops.post(`/api/dead-letters/${item.id}/retry`, {})).status).toBe(409);
    const unarchived = await ops.post<Item>(`/api/dead-letters/${item.id}/unarchive`, {
      reason: 'needed after all',
    });
    expect(unarchived).toMatchObject({ status: 200, body: { status: 'unresolved' } });

    const letter = await detail(item.id);
    expect(letter.history.slice(-2)).toEqual([
      expect.objectContaining({ kind: 'archived', actor: 'operator', reason: 'known test data' }),
      expect.objectContaining({
        kind: 'unarchived',
        actor: 'operator',
        reason: 'needed after all',
      }),
    ]);
    const audit = (
      await ops.get<{ items: Array<{ action: string; reason: string; deadLetterIds: string[] }> }>(
        '/api/audit?limit=200',
      )
    ).body;
    const mine = audit.items.filter((entry) => entry.deadLetterIds.includes(item.id));
    expect(mine.map((entry) => [entry.action, entry.reason]).sort()).toEqual([
      ['archive', 'known test data'],
      ['unarchive', 'needed after all'],
    ]);
    expect((await ops.request('DELETE', `/api/dead-letters/${item.id}`)).status).toBe(404);
    expect((await detail(item.id)).id).toBe(item.id);
  });
});
