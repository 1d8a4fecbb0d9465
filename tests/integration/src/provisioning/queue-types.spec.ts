import { provisionBroker } from '@shop/provisioning';
import {
  declareQueue,
  declareTopology,
  ownTopology,
  QueueType,
  RmqConnection,
  shopTopology,
  SHOP_SUBSCRIPTIONS,
} from '@shop/rmq';
import {
  createIsolatedBroker,
  IsolatedBroker,
  publishEvent,
  testEnv,
  waitFor,
} from '@shop/testing';
import { connect } from 'amqplib';
import { anOrderPlaced } from '../support/order-placed';
import '../support/quiet-logs';

const RETRY_DELAYS_MS = [60_000];

describe('queue types on a real broker: quorum by default, classic on request, and the way between', () => {
  let broker: IsolatedBroker;

  beforeEach(async () => {
    broker = await createIsolatedBroker('queue-types');
  });

  afterEach(async () => {
    await broker.dispose();
  });

  const provision = (queueType: QueueType, migrateQueues = false, lines: string[] = []) =>
    provisionBroker({
      adminUrl: broker.url,
      managementUrl: testEnv.rabbitmqManagementUrl,
      subscriptions: SHOP_SUBSCRIPTIONS,
      accounts: [],
      log: (line) => lines.push(line),
      declaration: { queueType, migrateQueues },
    });

  /** As billing declares its own part on start: its queues and its delay queue. */
  const declareBillingsOwn = async (queueType: QueueType) => {
    const amqp = await connect(broker.url);
    try {
      const channel = await amqp.createChannel();
      await declareTopology(
        channel,
        ownTopology('billing', SHOP_SUBSCRIPTIONS, RETRY_DELAYS_MS, { queueType }),
      );
    } finally {
      await amqp.close();
    }
  };

  const queueTypes = async () => {
    const response = await broker.admin.request(
      'GET',
      `/api/queues/${encodeURIComponent(broker.vhost)}?columns=name,type,messages`,
    );
    return Object.fromEntries(
      ((await response.json()) as Array<{ name: string; type: string }>).map((queue) => [
        queue.name,
        queue.type,
      ]),
    );
  };

  /** Ready messages, counted by the broker itself (the management API lags). */
  const readyIn = async (queue: string) => {
    const amqp = await connect(broker.url);
    try {
      return (await (await amqp.createChannel()).checkQueue(queue)).messageCount;
    } finally {
      await amqp.close();
    }
  };

  it("declares every queue of the shop as a quorum queue, with the broker's own confirmation of each argument", async () => {
    await provision('quorum');
    await declareBillingsOwn('quorum');
    const types = await queueTypes();
    const declared = [
      ...shopTopology(SHOP_SUBSCRIPTIONS).queues.map((queue) => queue.name),
      'billing.retry.60000',
    ];
    expect(declared.map((name) => [name, types[name]])).toEqual(
      declared.map((name) => [name, 'quorum']),
    );
  });

  it('refuses to replace classic queues that hold messages without --migrate-queues, then migrates them to quorum losing none, bindings and all', async () => {
    await provision('classic');
    await declareBillingsOwn('classic');
    const events = Array.from({ length: 40 }, () => anOrderPlaced());
    for (const event of events) await publishEvent(broker.url, event);
    const amqp = await connect(broker.url);
    const channel = await amqp.createChannel();
    // A retry waiting out its delay: it must survive the move too.
    channel.sendToQueue('billing.retry.60000', Buffer.from(JSON.stringify(anOrderPlaced())), {
      messageId: 'waiting-retry',
      headers: { 'x-attempts': 1 },
      persistent: true,
    });
    await waitFor(
      () => readyIn('billing.events'),
      (ready) => ready === events.length,
      { description: 'the events in billing.events' },
    );

    await expect(provision('quorum')).rejects.toThrow(
      /queue billing\.events exists with other arguments and holds 40 message\(s\): run the setup again with --migrate-queues/,
    );
    expect(await readyIn('billing.events')).toBe(events.length);

    const lines: string[] = [];
    await provision('quorum', true, lines);
    const types = await queueTypes();
    expect([types['billing.events'], types['billing.retry.60000'], types['ops.journal']]).toEqual([
      'quorum',
      'quorum',
      'quorum',
    ]);
    expect(Object.keys(types).filter((name) => name.endsWith('.migrating'))).toEqual([]);
    expect(lines).toContain(
      'queue billing.events migrated (x-queue-type quorum): 40 message(s) moved back',
    );
    expect(await readyIn('billing.events')).toBe(events.length);
    expect(await readyIn('ops.journal')).toBe(events.length);
    const waiting = await channel.get('billing.retry.60000', { noAck: true });
    expect(waiting && waiting.properties).toMatchObject({
      messageId: 'waiting-retry',
      headers: { 'x-attempts': 1 },
    });

    // The re-created queue has its bindings: a new event still reaches billing.
    await publishEvent(broker.url, anOrderPlaced());
    await waitFor(
      () => readyIn('billing.events'),
      (ready) => ready === events.length + 1,
      { description: 'a new event in the migrated billing.events' },
    );
    const moved = [];
    for (let message = await channel.get('billing.events', { noAck: true }); message; ) {
      moved.push(message.properties.messageId);
      message = await channel.get('billing.events', { noAck: true });
    }
    // Every event that waited, each once, in the order it came, then the new one.
    expect(moved).toHaveLength(events.length + 1);
    expect(moved.slice(0, events.length)).toEqual(events.map((event) => event.eventId));
    await amqp.close();
  });

  it('tells a service started against a queue of the other type how to migrate, and keeps it running instead of crash-looping', async () => {
    await provision('classic');
    const topology = ownTopology('billing', SHOP_SUBSCRIPTIONS, RETRY_DELAYS_MS, {
      queueType: 'quorum',
    });
    const connection = new RmqConnection({
      service: 'billing',
      url: broker.url,
      prefetch: 1,
      retry: { delaysMs: RETRY_DELAYS_MS, maxAttempts: 2 },
    });
    try {
      connection.createChannel('consume', 'billing.events', (channel) =>
        declareTopology(channel, topology),
      );
      const problem = await waitFor(
        async () => connection.setupFailureOf('billing.events'),
        (found) => found !== undefined,
        { description: 'the refused declaration reported' },
      );
      expect(problem).toContain(
        'cannot declare queue billing.events: it exists with other arguments than this version declares (x-queue-type quorum; ',
      );
      expect(problem).toContain('PRECONDITION_FAILED');
      expect(problem).toContain('npm run setup -- --migrate-queues');
      expect(problem).toContain('RABBITMQ_QUEUE_TYPE=classic');
      expect(connection.isConnected('consume')).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('connects through whichever node of RABBITMQ_URL answers when another refuses (each process starts at a random node)', async () => {
    const connection = new RmqConnection({
      service: 'billing',
      url: `amqp://guest:guest@127.0.0.1:1/${encodeURIComponent(broker.vhost)},${broker.url}`,
      prefetch: 1,
      retry: { delaysMs: RETRY_DELAYS_MS, maxAttempts: 2 },
    });
    try {
      const declared = new Promise<void>((resolve, reject) =>
        connection.createChannel('publish', 'probe', async (channel) => {
          await declareQueue(channel, {
            name: 'probe',
            durable: true,
            arguments: { 'x-queue-type': 'quorum' },
          }).then(resolve, reject);
        }),
      );
      await declared;
      expect(connection.isConnected('publish')).toBe(true);
    } finally {
      await connection.close();
    }
  });
});
