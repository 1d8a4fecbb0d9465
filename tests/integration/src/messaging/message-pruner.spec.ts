import {
  createIsolatedBroker,
  IsolatedBroker,
  isolatedDatabase,
  IsolatedDatabase,
} from '@shop/testing';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { MessagingHarness, startMessaging } from '../support/messaging-harness';

const DAY_MS = 24 * 60 * 60 * 1_000;

describe('MessagePruner on a real database', () => {
  let broker: IsolatedBroker;
  let database: IsolatedDatabase;
  let messaging: MessagingHarness;

  beforeAll(async () => {
    broker = await createIsolatedBroker('pruner');
    database = isolatedDatabase('pruner');
    messaging = await startMessaging({
      brokerUrl: broker.url,
      databaseUrl: database.url,
      // Batches of 2, so a run has to loop; a long interval, so only the test starts runs
      // (besides the one at start-up, on empty tables).
      pruning: { retentionMs: 7 * DAY_MS, batchSize: 2, intervalMs: DAY_MS },
    });
  });

  afterAll(async () => {
    await messaging?.close();
    await database?.dispose();
    await broker?.dispose();
  });

  /** Inbox rows handled that many days ago, one per age; returns their event ids. */
  async function handledEvents(...ageDays: number[]): Promise<string[]> {
    const eventIds = ageDays.map(() => randomUUID());
    await database.query(
      `INSERT INTO inbox (consumer, event_id, event_type, handled_at)
       SELECT 'messaging-test', event_id, 'OrderPlaced', now() - make_interval(days => age)
       FROM unnest($1::uuid[], $2::int[]) AS written(event_id, age)`,
      [eventIds, ageDays],
    );
    return eventIds;
  }

  /**
   * Outbox rows written that many days ago, one per age, and published then or never. An
   * unpublished row is due tomorrow, so the running relay leaves it unpublished meanwhile.
   */
  async function outboxEvents(published: boolean, ...ageDays: number[]): Promise<string[]> {
    const eventIds = ageDays.map(() => randomUUID());
    await database.query(
      `INSERT INTO outbox (event_id, event_type, envelope, created_at, published_at, next_attempt_at)
       SELECT event_id, 'OrderPlaced', '{}'::jsonb, now() - make_interval(days => age),
              CASE WHEN $3 THEN now() - make_interval(days => age) END, now() + interval '1 day'
       FROM unnest($1::uuid[], $2::int[]) AS written(event_id, age)`,
      [eventIds, ageDays, published],
    );
    return eventIds;
  }

  async function remaining(table: 'inbox' | 'outbox', eventIds: string[]): Promise<string[]> {
    const rows = await database.query<{ event_id: string }>(
      `SELECT event_id FROM ${table} WHERE event_id = ANY($1)`,
      [eventIds],
    );
    return rows.map((row) => row.event_id).sort();
  }

  it('deletes inbox rows handled before the retention window, batch after batch, and keeps recent ones', async () => {
    const old = await handledEvents(8, 9, 10, 30, 365);
    const recent = await handledEvents(0, 1, 6);

    await messaging.pruner.pruneOnce();

    expect(await remaining('inbox', [...old, ...recent])).toEqual([...recent].sort());
  });

  it('deletes outbox rows published before the retention window, never an unpublished one', async () => {
    const oldPublished = await outboxEvents(true, 8, 9, 10, 30, 365);
    const recentPublished = await outboxEvents(true, 0, 6);
    const oldUnpublished = await outboxEvents(false, 8, 365);

    await messaging.pruner.pruneOnce();

    expect(
      await remaining('outbox', [...oldPublished, ...recentPublished, ...oldUnpublished]),
    ).toEqual([...recentPublished, ...oldUnpublished].sort());
  });

  it('steps around an old row another transaction holds instead of waiting for it', async () => {
    const [held, free] = await handledEvents(30, 30);
    const handler = new Client({ connectionString: database.url });
    await handler.connect();
    try {
      // A handler's transaction holding the row (as a redelivery of that event would).
      await handler.query('BEGIN');
      await handler.query('SELECT 1 FROM inbox WHERE event_id = $1 FOR UPDATE', [held]);

      // Waiting on the lock would never end while the transaction stays open.
      await messaging.pruner.pruneOnce();

      expect(await remaining('inbox', [held, free])).toEqual([held]);
      await handler.query('COMMIT');
      await messaging.pruner.pruneOnce();
      expect(await remaining('inbox', [held])).toEqual([]);
    } finally {
      await handler.end();
    }
  });
});
