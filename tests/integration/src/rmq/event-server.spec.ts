import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { createEvent, DomainEvent } from '@shop/contracts';
import { NonRetryableError, OnEvent, RmqEventContext } from '@shop/rmq';
import {
  createIsolatedBroker,
  IsolatedBroker,
  publishEvent,
  publishRaw,
  waitFor,
} from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { waitForDeadLetter } from '../support/dead-letters';
import { EventServerHarness, startEventServer } from '../support/event-server-harness';
import { anOrderPlaced } from '../support/order-placed';

interface Call {
  eventId: string;
  attempt: number;
  redelivered: boolean;
  at: number;
}

/** What the handler does next; each test sets it. */
let behaviour: (
  event: DomainEvent<'OrderPlaced'>,
  context: RmqEventContext,
) => Promise<void> = async () => undefined;
const calls: Call[] = [];

@Controller()
class OrderPlacedRecorder {
  @OnEvent('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>, @Ctx() context: RmqEventContext) {
    calls.push({
      eventId: event.eventId,
      attempt: context.getAttempt(),
      redelivered: context.isRedelivered(),
      at: Date.now(),
    });
    await behaviour(event, context);
  }
}

const SERVICE = 'svc';
const RETRY = { delaysMs: [100, 200, 400], maxAttempts: 4 };
/** `peer` never runs here: its queue is declared by svc all the same. */
const SUBSCRIPTIONS = { svc: ['OrderPlaced'], peer: ['OrderPlaced', 'StockReserved'] } as const;

describe('RmqEventServer on a real broker', () => {
  let broker: IsolatedBroker;
  let harness: EventServerHarness;

  const callsFor = (eventId: string) => calls.filter((call) => call.eventId === eventId);
  const dlq = () => broker.admin.peek(broker.vhost, `${SERVICE}.dlq`);
  const deadLetterOf = (messageId: string) =>
    waitForDeadLetter(broker, `${SERVICE}.dlq`, messageId);
  const readyCount = async (queue: string) => {
    const amqp = await connect(broker.url);
    try {
      return (await (await amqp.createChannel()).checkQueue(queue)).messageCount;
    } finally {
      await amqp.close();
    }
  };

  beforeAll(async () => {
    broker = await createIsolatedBroker('event-server');
    harness = await startEventServer({
      url: broker.url,
      service: SERVICE,
      controllers: [OrderPlacedRecorder],
      subscriptions: SUBSCRIPTIONS,
      retry: RETRY,
    });
  });

  afterEach(() => {
    behaviour = async () => undefined;
  });

  afterAll(async () => {
    await harness?.close();
    await broker?.dispose();
  });

  it("finds every other subscriber's queue and ops' queues from the setup step, and declares its own delay queues, all bound to their subscriptions", async () => {
    expect(await broker.admin.queueNames(broker.vhost)).toEqual([
      'ops.heartbeats',
      'ops.journal',
      'ops.replay-outcomes',
      'peer.dlq',
      'peer.events',
      'svc.dlq',
      'svc.events',
      'svc.retry.100',
      'svc.retry.200',
      'svc.retry.400',
    ]);
    const boundKeys = async (queue: string) =>
      (await broker.admin.bindings(broker.vhost, queue))
        .filter((b) => b.source === 'shop.events')
        .map((b) => b.routing_key)
        .sort();
    expect(await boundKeys('svc.events')).toEqual(['order.placed']);
    expect(await boundKeys('peer.events')).toEqual(['order.placed', 'stock.reserved']);
    // The journal hears everything, even while ops has never started.
    expect(await boundKeys('ops.journal')).toEqual(['#']);
    expect((await broker.admin.queue(broker.vhost, 'peer.events'))?.consumers).toBe(0);
  });

  it('publishes and consumes on two connections, each named for the management UI', async () => {
    const names = await waitFor(
      async () =>
        (await broker.admin.connections(broker.vhost)).map((connection) => connection.clientName),
      (found) => found.length >= 2,
      { description: 'the connections in the management API', timeoutMs: 20_000 },
    );
    expect(names.sort()).toEqual([
      expect.stringMatching(/^svc@.+:\d+ \(consume\)$/),
      expect.stringMatching(/^svc@.+:\d+ \(publish\)$/),
    ]);
  });

  it('refuses to start when its handlers and its subscriptions disagree, naming the difference', async () => {
    await expect(
      startEventServer({
        url: broker.url,
        service: SERVICE,
        controllers: [OrderPlacedRecorder],
        subscriptions: { svc: ['OrderPlaced', 'StockReserved'] },
        retry: RETRY,
      }),
    ).rejects.toThrow(
      /disagree with its subscriptions[\s\S]*subscribed but not handled: StockReserved/,
    );
  });

  it('hands a valid event to its @OnEvent handler and acks it once handled', async () => {
    const event = anOrderPlaced();

    await publishEvent(broker.url, event);

    await waitFor(
      () => callsFor(event.eventId),
      (found) => found.length === 1,
    );
    await waitFor(
      () => readyCount('svc.events'),
      (count) => count === 0,
    );
    expect(callsFor(event.eventId)[0]).toMatchObject({ attempt: 1, redelivered: false });
  });

  it('acks only after the handler finished: a crash mid-handler means redelivery', async () => {
    const event = anOrderPlaced();
    let release!: () => void;
    behaviour = () => new Promise<void>((resolve) => (release = resolve));
    const crashing = await startEventServer({
      url: broker.url,
      service: SERVICE,
      controllers: [OrderPlacedRecorder],
      subscriptions: SUBSCRIPTIONS,
      retry: RETRY,
    });
    await harness.close(); // only the crashing instance consumes now

    await publishEvent(broker.url, event);
    await waitFor(
      () => callsFor(event.eventId),
      (found) => found.length === 1,
    );
    await crashing.connection.close(); // the process "dies" with the handler still running
    release();
    behaviour = async () => undefined;
    harness = await startEventServer({
      url: broker.url,
      service: SERVICE,
      controllers: [OrderPlacedRecorder],
      subscriptions: SUBSCRIPTIONS,
      retry: RETRY,
    });

    const deliveries = await waitFor(
      () => callsFor(event.eventId),
      (found) => found.length === 2,
    );
    expect(deliveries[1]).toMatchObject({ redelivered: true });
    await crashing.app.close().catch(() => undefined);
  });

  it('retries a transient failure with growing delays until it succeeds, counting attempts in a header', async () => {
    const event = anOrderPlaced();
    behaviour = async (_event, context) => {
      if (context.getAttempt() < 3) throw new Error('database briefly unavailable');
    };

    await publishEvent(broker.url, event);

    const attempts = await waitFor(
      () => callsFor(event.eventId),
      (found) => found.length === 3,
    );
    expect(attempts.map((call) => call.attempt)).toEqual([1, 2, 3]);
    const firstGap = attempts[1].at - attempts[0].at;
    const secondGap = attempts[2].at - attempts[1].at;
    expect(firstGap).toBeGreaterThanOrEqual(RETRY.delaysMs[0] * 0.9);
    expect(secondGap).toBeGreaterThanOrEqual(RETRY.delaysMs[1] * 0.9);
    await waitFor(
      () => readyCount('svc.events'),
      (count) => count === 0,
    );
    expect((await dlq()).some((m) => m.properties.message_id === event.eventId)).toBe(false);
  });

  it('parks a permanent failure in the DLQ after exactly RETRY_MAX_ATTEMPTS attempts, with its story in headers', async () => {
    const event = anOrderPlaced();
    behaviour = async () => {
      throw new Error('invoice numbering service is gone');
    };

    await publishEvent(broker.url, event);

    const parked = await deadLetterOf(event.eventId);
    expect(callsFor(event.eventId)).toHaveLength(RETRY.maxAttempts);
    expect(JSON.parse(parked.payload)).toEqual(event);
    expect(parked.properties).toMatchObject({
      type: 'OrderPlaced',
      correlation_id: event.metadata.correlationId,
    });
    const headers = parked.properties.headers as Record<string, unknown>;
    expect(headers).toMatchObject({
      'x-service': SERVICE,
      'x-dead-letter-reason': 'retries-exhausted',
      'x-attempts': RETRY.maxAttempts,
      'x-original-exchange': 'shop.events',
      'x-original-routing-key': 'order.placed',
      'x-error-message': 'invoice numbering service is gone',
      'x-event-version': 1,
    });
    expect(String(headers['x-error-stack'])).toContain('invoice numbering service is gone');
    const first = Date.parse(String(headers['x-first-failure-at']));
    const last = Date.parse(String(headers['x-last-failure-at']));
    expect(last).toBeGreaterThan(first);
    expect(Date.parse(String(headers['x-dead-lettered-at']))).toBeGreaterThanOrEqual(last);
  });

  it('dead-letters at once when the handler throws NonRetryableError', async () => {
    const event = anOrderPlaced();
    behaviour = async () => {
      throw new NonRetryableError('customer account closed');
    };

    await publishEvent(broker.url, event);

    const parked = await deadLetterOf(event.eventId);
    expect(callsFor(event.eventId)).toHaveLength(1);
    expect(parked.properties.headers).toMatchObject({
      'x-dead-letter-reason': 'non-retryable',
      'x-attempts': 1,
    });
  });

  describe('poison messages are dead-lettered with zero retries', () => {
    const valid = () => anOrderPlaced();

    it.each([
      [
        'unparseable',
        'shop.events',
        'order.placed',
        () => Buffer.from('{"eventId": "half a message'),
      ],
      [
        'invalid-payload',
        'shop.events',
        'order.placed',
        () =>
          Buffer.from(
            JSON.stringify({
              ...valid(),
              data: { ...valid().data, items: [{ sku: 'SKU-0001', quantity: -1 }] },
            }),
          ),
      ],
      [
        'invalid-envelope',
        'shop.events',
        'order.placed',
        () => Buffer.from(JSON.stringify({ hello: 'world' })),
      ],
      [
        'unknown-event-type',
        '',
        'svc.events',
        () => Buffer.from(JSON.stringify({ ...valid(), eventType: 'OrderTeleported' })),
      ],
      [
        'unsupported-version',
        'shop.events',
        'order.placed',
        () => Buffer.from(JSON.stringify({ ...valid(), eventVersion: 99 })),
      ],
      [
        'no-handler',
        '',
        'svc.events',
        () =>
          Buffer.from(
            JSON.stringify(
              createEvent(
                'StockReserved',
                { orderId: randomUUID(), items: [{ sku: 'SKU-0001', quantity: 1 }] },
                {
                  source: 'inventory',
                  correlationId: randomUUID(),
                },
              ),
            ),
          ),
      ],
    ])('%s', async (reason, exchange, routingKey, content) => {
      const messageId = randomUUID();
      const callsBefore = calls.length;

      await publishRaw(broker.url, exchange, routingKey, content(), {
        messageId,
        contentType: 'application/json',
      });

      const parked = await deadLetterOf(messageId);
      expect(parked.properties.headers).toMatchObject({
        'x-dead-letter-reason': reason,
        'x-attempts': 0,
        'x-service': SERVICE,
      });
      expect(
        String((parked.properties.headers as Record<string, unknown>)['x-error-message']).length,
      ).toBeGreaterThan(0);
      expect(calls.length).toBe(callsBefore);
      for (const delay of RETRY.delaysMs) {
        expect(await readyCount(`svc.retry.${delay}`)).toBe(0);
      }
    });
  });

  it('on close, stops taking messages, lets the in-flight handler finish and acks it', async () => {
    const inFlight = anOrderPlaced();
    const afterClose = anOrderPlaced();
    let release!: () => void;
    let finished = false;
    behaviour = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    };
    await publishEvent(broker.url, inFlight);
    await waitFor(
      () => callsFor(inFlight.eventId),
      (found) => found.length === 1,
    );

    const closing = harness.app.close();
    setTimeout(() => release(), 300);
    await closing;

    expect(finished).toBe(true);
    await publishEvent(broker.url, afterClose);
    await waitFor(
      () => readyCount('svc.events'),
      (count) => count === 1,
      { description: 'only the message published after close to wait' },
    );
    expect(callsFor(afterClose.eventId)).toHaveLength(0);

    behaviour = async () => undefined;
    await harness.publisher.close();
    await harness.connection.close();
    harness = await startEventServer({
      url: broker.url,
      service: SERVICE,
      controllers: [OrderPlacedRecorder],
      subscriptions: SUBSCRIPTIONS,
      retry: RETRY,
    });
    await waitFor(
      () => callsFor(afterClose.eventId),
      (found) => found.length === 1,
    );
  });

  it('re-declares and re-binds its queue and resumes consuming when the queue is deleted under it', async () => {
    await broker.admin.deleteQueue(broker.vhost, 'svc.events');

    await waitFor(
      () => broker.admin.queue(broker.vhost, 'svc.events'),
      (queue) => queue !== null && queue.consumers === 1,
      { description: 'svc.events declared again, with a consumer' },
    );
    const bindings = await broker.admin.bindings(broker.vhost, 'svc.events');
    expect(bindings.filter((b) => b.source === 'shop.events').map((b) => b.routing_key)).toEqual([
      'order.placed',
    ]);
    const event = anOrderPlaced();
    await publishEvent(broker.url, event);
    await waitFor(
      () => callsFor(event.eventId),
      (found) => found.length === 1,
      { description: 'the event published after recovery to be handled' },
    );
  });
});
