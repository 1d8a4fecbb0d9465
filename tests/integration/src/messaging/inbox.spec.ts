import {
  isolatedDatabase,
  IsolatedDatabase,
  createIsolatedBroker,
  IsolatedBroker,
} from '@shop/testing';
import { MessagingHarness, startMessaging } from '../support/messaging-harness';
import { anOrderPlaced } from '../support/order-placed';

describe('Inbox on a real database', () => {
  let broker: IsolatedBroker;
  let database: IsolatedDatabase;
  let messaging: MessagingHarness;

  beforeAll(async () => {
    broker = await createIsolatedBroker('inbox');
    database = isolatedDatabase('inbox');
    messaging = await startMessaging({ brokerUrl: broker.url, databaseUrl: database.url });
  });

  afterAll(async () => {
    await messaging?.close();
    await database?.dispose();
    await broker?.dispose();
  });

  const inboxRows = (eventId: string) =>
    database.query('SELECT * FROM inbox WHERE event_id = $1', [eventId]);

  it('handles an event once and skips its redelivery', async () => {
    const event = anOrderPlaced();
    let runs = 0;

    const first = await messaging.inbox.handleOnce(event, async () => void runs++);
    const second = await messaging.inbox.handleOnce(event, async () => void runs++);

    expect([first, second]).toEqual(['handled', 'duplicate']);
    expect(runs).toBe(1);
    expect(await inboxRows(event.eventId)).toEqual([
      expect.objectContaining({ consumer: 'messaging-test', event_type: 'OrderPlaced' }),
    ]);
  });

  it('lets exactly one of several concurrent deliveries of one event through', async () => {
    const event = anOrderPlaced();
    let runs = 0;

    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        messaging.inbox.handleOnce(event, async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }),
      ),
    );

    expect(outcomes.filter((outcome) => outcome === 'handled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(5);
    expect(runs).toBe(1);
  });

  it('rolls the inbox row back with a failed handler, so the retry handles the event', async () => {
    const event = anOrderPlaced();

    await expect(
      messaging.inbox.handleOnce(event, async (tx) => {
        await messaging.outbox.add(tx, anOrderPlaced());
        throw new Error('business write failed');
      }),
    ).rejects.toThrow('business write failed');
    expect(await inboxRows(event.eventId)).toEqual([]);

    expect(await messaging.inbox.handleOnce(event, async () => undefined)).toBe('handled');
  });
});
