import { createEvent } from '@shop/contracts';
import { publishEvent, TestSystem, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { OpsClient } from './support/ops-client';

const WINDOW_MS = 4_000;
const PUBLIC_URL = 'https://ops.example.test';
const LARGE_ORDER_CENTS = 100_000;

interface WebhookCall {
  at: number;
  status: number;
  body: {
    text: string;
    kind: string;
    count?: number;
    link?: string;
    orderId?: string;
    group?: { id: string; title: string };
    [field: string]: unknown;
  };
}

/** An incoming webhook like Slack's: records every POST, and answers 500 when told to. */
class WebhookReceiver {
  readonly calls: WebhookCall[] = [];
  private failures: Array<{ left: number; when: (body: WebhookCall['body']) => boolean }> = [];
  private server?: Server;

  /** The next `times` messages matching `when` are answered 500. */
  failNext(times: number, when: (body: WebhookCall['body']) => boolean): void {
    this.failures.push({ left: times, when });
  }

  delivered(when: (body: WebhookCall['body']) => boolean): WebhookCall['body'][] {
    return this.calls.filter((call) => call.status === 200 && when(call.body)).map((c) => c.body);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        const body = JSON.parse(text) as WebhookCall['body'];
        const failure = this.failures.find((f) => f.left > 0 && f.when(body));
        if (failure) failure.left--;
        const status = failure ? 500 : 200;
        this.calls.push({ at: Date.now(), status, body });
        response.writeHead(status, { 'content-type': 'text/plain' }).end(failure ? 'down' : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('ops: notifications through OPS_WEBHOOK_URL', () => {
  const webhook = new WebhookReceiver();
  let system: TestSystem;
  let ops: OpsClient;

  beforeAll(async () => {
    const webhookUrl = await webhook.start();
    system = await TestSystem.start('ops-notify', {
      services: ['ops'],
      envFor: {
        ops: {
          OPS_WEBHOOK_URL: webhookUrl,
          OPS_NOTIFY_WINDOW_MS: String(WINDOW_MS),
          OPS_PUBLIC_URL: PUBLIC_URL,
          OPS_NOTIFY_RULES: JSON.stringify([
            { rule: 'large-order-confirmed', minAmountCents: LARGE_ORDER_CENTS },
          ]),
        },
      },
    });
    ops = new OpsClient(system);
  });

  afterAll(async () => {
    await system?.stop();
    await webhook.stop();
  });

  /** Dead letters as libs/rmq parks them in `<service>.dlq`, each with its own eventId. */
  const deadLetter = async (service: string, count: number, error: (i: number) => string) => {
    const connection = await connect(system.broker.url);
    const channel = await connection.createConfirmChannel();
    for (let i = 0; i < count; i++) {
      const eventId = randomUUID();
      channel.publish(
        '',
        `${service}.dlq`,
        Buffer.from(JSON.stringify({ eventId, eventType: 'OrderPlaced', data: { n: i } })),
        {
          messageId: eventId,
          type: 'OrderPlaced',
          persistent: true,
          headers: {
            'x-dead-letter-reason': 'retries-exhausted',
            'x-error-message': error(i),
            'x-attempts': 4,
            'x-dead-lettered-at': new Date().toISOString(),
          },
        },
      );
    }
    await channel.waitForConfirms();
    await connection.close();
  };

  const storedDeadLetters = async (service: string) =>
    (await ops.get<{ total: number }>(`/api/dead-letters?service=${service}&limit=0`)).body.total;

  const groupOf = async (service: string) => {
    const groups = (
      await ops.get<{ items: Array<{ id: string; service: string; count: number }> }>('/api/groups')
    ).body.items;
    return groups.filter((group) => group.service === service);
  };

  const countsFor = (groupId: string) =>
    webhook.delivered((body) => body.group?.id === groupId).map((body) => body.count as number);

  it('sends one message for a burst of 200 dead letters of one group, with the count and the group link', async () => {
    await deadLetter('billing', 200, (i) => `invoice ${i} failed: ledger locked`);

    const [group] = await waitFor(
      () => groupOf('billing'),
      (groups) => groups.length === 1 && groups[0].count === 200,
      { description: '200 billing dead letters stored in one group', timeoutMs: 60_000 },
    );
    await waitFor(
      () => countsFor(group.id),
      (counts) => counts.reduce((sum, count) => sum + count, 0) === 200,
      { description: 'webhook messages counting all 200 dead letters', timeoutMs: 30_000 },
    );

    const messages = webhook.delivered((body) => body.group?.id === group.id);
    console.log(`webhook message for the burst:\n${JSON.stringify(messages, null, 2)}`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'dead-letters',
      service: 'billing',
      eventType: 'OrderPlaced',
      count: 200,
      link: `${PUBLIC_URL}/#/groups/${group.id}`,
    });
    expect(messages[0].text).toContain(
      `200 dead letters in billing · OrderPlaced · invoice &lt;n&gt; failed`,
    );
    expect(messages[0].text).toContain(`${PUBLIC_URL}/#/groups/${group.id}`);
  });

  it('retries a failing webhook with backoff and delivers once, while collection goes on', async () => {
    const isDown = (body: WebhookCall['body']) => body.text.includes('webhook-down');
    webhook.failNext(2, isDown);
    await deadLetter('inventory', 5, () => 'reservation failed: webhook-down test');

    await waitFor(
      () => webhook.calls.filter((call) => isDown(call.body) && call.status === 500),
      (failed) => failed.length >= 1,
      { description: 'the first delivery to fail', timeoutMs: 30_000 },
    );
    // The webhook is failing: dead letters keep being collected all the same.
    await deadLetter('inventory', 5, (i) => `stock row ${i} locked`);
    await waitFor(
      () => storedDeadLetters('inventory'),
      (total) => total === 10,
      { description: '10 inventory dead letters stored while the webhook fails' },
    );

    await waitFor(
      () => webhook.delivered(isDown),
      (delivered) => delivered.length === 1,
      { description: 'the message delivered after two failures', timeoutMs: 30_000 },
    );
    const calls = webhook.calls.filter((call) => isDown(call.body));
    console.log(
      `deliveries of the failing group's message: ${calls
        .map((call, i) => `${call.status}${i > 0 ? ` after ${call.at - calls[i - 1].at} ms` : ''}`)
        .join(', ')}`,
    );
    expect(calls.map((call) => call.status)).toEqual([500, 500, 200]);
    expect(calls[2].body).toMatchObject({ kind: 'dead-letters', service: 'inventory', count: 5 });
    const [row] = await system.db('ops').query<{
      status: string;
      attempts: number;
      last_error: string | null;
    }>(`SELECT status, attempts, last_error FROM notifications WHERE message->'group'->>'id' = $1`, [calls[2].body.group?.id]);
    expect(row).toEqual({ status: 'sent', attempts: 3, last_error: null });
  });

  it('notifies a large confirmed order once, however often the rule is checked, and not a small one', async () => {
    const order = async (amountCents: number) => {
      const orderId = randomUUID();
      const placed = createEvent(
        'OrderPlaced',
        {
          orderId,
          customerId: 'rule-rita',
          items: [{ sku: 'SKU-0001', quantity: 1, unitPrice: { amountCents, currency: 'EUR' } }],
          total: { amountCents, currency: 'EUR' },
        },
        { source: 'orders', correlationId: randomUUID() },
      );
      await publishEvent(system.broker.url, placed);
      await publishEvent(
        system.broker.url,
        createEvent('OrderConfirmed', { orderId }, { source: 'orders', causedBy: placed }),
      );
      return orderId;
    };
    const large = await order(250_000);
    const small = await order(1_000);
    const aboutOrder = (orderId: string) => (body: WebhookCall['body']) => body.orderId === orderId;

    await waitFor(
      () => webhook.delivered(aboutOrder(large)),
      (messages) => messages.length > 0,
      {
        description: 'the large order notified',
        timeoutMs: 30_000,
      },
    );
    // A later large order is found by a later check, which saw the first one again.
    const later = await order(100_000);
    await waitFor(
      () => webhook.delivered(aboutOrder(later)),
      (messages) => messages.length > 0,
      {
        description: 'the later large order notified',
        timeoutMs: 30_000,
      },
    );

    const messages = webhook.delivered(aboutOrder(large));
    console.log(`large order message: ${messages[0]?.text}`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'business-rule',
      rule: 'large-order-confirmed',
      amountCents: 250_000,
      currency: 'EUR',
    });
    expect(webhook.delivered(aboutOrder(small))).toEqual([]);
  });

  it('turns an Alertmanager webhook call into one message; refuses it without the token', async () => {
    // A name of its own, so this test's message cannot be confused with another.
    const alertname = `ShopServiceDown-${randomUUID().slice(0, 8)}`;
    const groupKey = `{}:{alertname="${alertname}"}`;
    const payload = {
      version: '4',
      groupKey,
      status: 'firing',
      receiver: 'ops',
      groupLabels: { alertname },
      commonLabels: { alertname, severity: 'critical' },
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      truncatedAlerts: 0,
      alerts: [
        {
          status: 'firing',
          labels: { alertname, service: 'orders', severity: 'critical' },
          annotations: { summary: 'orders has no ready instance' },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus:9090/graph',
          fingerprint: 'c0ffee',
        },
      ],
    };

    const refused = await fetch(`${system.service('ops').baseUrl}/api/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(refused.status).toBe(401);

    const accepted = await ops.post<{ notificationId: string }>('/api/alerts', payload);
    expect(accepted.status).toBe(202);
    const [message] = await waitFor(
      () => webhook.delivered((body) => body.text.includes(alertname)),
      (messages) => messages.length > 0,
      { description: 'the alert delivered', timeoutMs: 30_000 },
    );
    console.log(`alert message: ${message.text}`);
    expect(message).toMatchObject({
      kind: 'alert',
      status: 'firing',
      alertNames: [alertname],
      services: ['orders'],
    });
    expect(message.text).toBe(
      `[FIRING:1] ${alertname} (orders)\n• firing ${alertname} orders: orders has no ready instance`,
    );
    expect(webhook.delivered((body) => body.text.includes(alertname))).toHaveLength(1);
  });
});
