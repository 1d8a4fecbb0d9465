import { Controller } from '@nestjs/common';
import { EVENT_TYPES } from '@shop/contracts';
import { OnEvent } from '@shop/rmq';
import { createIsolatedBroker, IsolatedBroker, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { EventServerHarness, startEventServer } from '../support/event-server-harness';
import { anOrderPlaced } from '../support/order-placed';

@Controller()
class OrderPlacedHandler {
  @OnEvent('OrderPlaced')
  async handle(): Promise<void> {
    // Never reached: every message in this test is poison.
  }
}

/** Series of the shop's own metrics in the process's registry, as /metrics would show them. */
async function shopSeries(): Promise<string[]> {
  return (await register.metrics())
    .split('\n')
    .filter((line) => line.startsWith('shop_'))
    .map((line) => line.slice(0, line.lastIndexOf(' ')));
}

describe('metric labels stay bounded, on a real broker', () => {
  let broker: IsolatedBroker;
  let harness: EventServerHarness;

  beforeAll(async () => {
    broker = await createIsolatedBroker('metric-labels');
    harness = await startEventServer({
      url: broker.url,
      service: 'svc',
      controllers: [OrderPlacedHandler],
      subscriptions: { svc: ['OrderPlaced'] },
    });
  });

  afterAll(async () => {
    await harness?.close();
    await broker?.dispose();
  });

  /** Poison messages whose `type` property (and eventType, when JSON) is random. */
  async function publishPoison(count: number): Promise<void> {
    const amqp = await connect(broker.url);
    try {
      const channel = await amqp.createConfirmChannel();
      for (let i = 0; i < count; i++) {
        const type = `Type${randomUUID()}`;
        const content =
          i % 2 === 0 ? JSON.stringify({ ...anOrderPlaced(), eventType: type }) : `not json ${i}`;
        const [exchange, routingKey] =
          i % 3 === 0 ? ['shop.events', 'order.placed'] : ['', 'svc.events'];
        channel.publish(exchange, routingKey, Buffer.from(content), {
          messageId: randomUUID(),
          type,
          persistent: true,
        });
      }
      await channel.waitForConfirms();
    } finally {
      await amqp.close();
    }
  }

  async function dlqDepth(): Promise<number> {
    const amqp = await connect(broker.url);
    try {
      return (await (await amqp.createChannel()).checkQueue('svc.dlq')).messageCount;
    } finally {
      await amqp.close();
    }
  }

  it('does not grow the number of series with 500 poison messages of random types', async () => {
    await publishPoison(6);
    await waitFor(dlqDepth, (depth) => depth === 6, { description: '6 messages in svc.dlq' });
    const before = await shopSeries();

    await publishPoison(500);
    await waitFor(dlqDepth, (depth) => depth === 506, {
      description: '506 messages in svc.dlq',
      timeoutMs: 30_000,
    });

    const after = await shopSeries();
    expect(after).toEqual(before);
    const eventTypes = new Set(
      after.flatMap((series) => series.match(/event_type="([^"]*)"/)?.[1] ?? []),
    );
    expect(
      [...eventTypes].every((value) => value === 'unknown' || EVENT_TYPES.includes(value as never)),
    ).toBe(true);
    expect(after).toContain(
      'shop_messages_dead_lettered_total{event_type="unknown",reason="unknown-event-type"}',
    );
    expect(after).toContain('shop_events_published_total{event_type="unknown"}');
  });
});
