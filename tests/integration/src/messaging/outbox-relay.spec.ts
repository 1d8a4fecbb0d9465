import { DomainEvent } from '@shop/contracts';
import {
  createIsolatedBroker,
  EventSpy,
  IsolatedBroker,
  isolatedDatabase,
  IsolatedDatabase,
  waitFor,
} from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { MessagingHarness, startMessaging } from '../support/messaging-harness';
import { anOrderPlaced } from '../support/order-placed';

interface OutboxRow {
  event_id: string;
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
}

describe('Outbox and relay on a real database and broker', () => {
  let broker: IsolatedBroker;
  let database: IsolatedDatabase;
  let messaging: MessagingHarness;
  let spy: EventSpy;

  beforeAll(async () => {
    broker = await createIsolatedBroker('outbox');
    database = isolatedDatabase('outbox');
    // Only order.placed is routable in this vhost, so other events are unroutable on purpose.
    spy = await EventSpy.start(broker.url, ['order.placed']);
    messaging = await startMessaging({ brokerUrl: broker.url, databaseUrl: database.url });
  });

  afterAll(async () => {
    await messaging?.close();
    await spy?.stop();
    await database?.dispose();
    await broker?.dispose();
  });

  const row = async (eventId: string) =>
    (await database.query<OutboxRow>('SELECT * FROM outbox WHERE event_id = $1', [eventId]))[0];

  it('publishes committed events and marks them sent only after the broker confirmed', async () => {
    const events = [anOrderPlaced(), anOrderPlaced()];

    await messaging.db.transaction((tx) => messaging.outbox.add(tx, ...events));

    for (const event of events) {
      const [seen] = await spy.waitFor('OrderPlaced', event.data.orderId);
      expect(seen).toEqual(event);
      await waitFor(
        () => row(event.eventId),
        (found) => found.published_at !== null,
      );
    }
  });

  it('never publishes events of a transaction that rolled back', async () => {
    const event = anOrderPlaced();

    await expect(
      messaging.db.transaction(async (tx) => {
        await messaging.outbox.add(tx, event);
        throw new Error('business rule broken');
      }),
    ).rejects.toThrow();
    const marker = anOrderPlaced();
    await messaging.db.transaction((tx) => messaging.outbox.add(tx, marker));
    await spy.waitFor('OrderPlaced', marker.data.orderId);

    expect(spy.ofType('OrderPlaced', event.data.orderId)).toEqual([]);
    expect(await row(event.eventId)).toBeUndefined();
  });

  it('picks up rows a crashed process left behind, without any notification', async () => {
    const leftBehind = anOrderPlaced();
    // Written straight into the table: no NOTIFY, as if the writer died right after its commit.
    await database.query(
      `INSERT INTO outbox (event_id, event_type, envelope) VALUES ($1, $2, $3)`,
      [leftBehind.eventId, leftBehind.eventType, JSON.stringify(leftBehind)],
    );

    await spy.waitFor('OrderPlaced', leftBehind.data.orderId);
    await waitFor(
      () => row(leftBehind.eventId),
      (found) => found.published_at !== null,
    );
  });

  it('keeps an unroutable event, with its error, and publishes it once a queue is bound', async () => {
    const confirmed: DomainEvent<'OrderConfirmed'> = {
      ...anOrderPlaced(),
      eventType: 'OrderConfirmed',
      data: { orderId: randomUUID() },
    };

    await messaging.db.transaction((tx) => messaging.outbox.add(tx, confirmed));

    const failing = await waitFor(
      () => row(confirmed.eventId),
      (found) => found.attempts >= 1,
      {
        description: 'a failed publish attempt to be recorded',
      },
    );
    expect(failing.published_at).toBeNull();
    expect(failing.last_error).toContain('no queue is bound to routing key "order.confirmed"');
    const ordinary = anOrderPlaced();
    await messaging.db.transaction((tx) => messaging.outbox.add(tx, ordinary));
    await spy.waitFor('OrderPlaced', ordinary.data.orderId);

    const amqp = await connect(broker.url);
    const channel = await amqp.createChannel();
    await channel.assertQueue('late.consumer', { durable: true });
    await channel.bindQueue('late.consumer', 'shop.events', 'order.confirmed');
    await amqp.close();

    await waitFor(
      () => row(confirmed.eventId),
      (found) => found.published_at !== null,
      {
        timeoutMs: 30_000,
        description: 'the unroutable event to be published after the binding appeared',
      },
    );
  });
});
