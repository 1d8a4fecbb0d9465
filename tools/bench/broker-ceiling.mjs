// The raw ceiling of one hop on this machine, measured in the same run as the pipeline: publish
// with confirms -> consume with manual ack -> one PostgreSQL transaction per message. Every hop
// of the saga does at least this much work, so hop ceiling / hops per order bounds orders/s.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDatabase, databaseUrl, dropDatabase } from './databases.mjs';

/** Consumer deliveries one CONFIRMED order causes (docs/architecture.md, "The saga": the happy path). */
export const HOPS_PER_CONFIRMED_ORDER = [
  'OrderPlaced -> billing',
  'OrderPlaced -> inventory',
  'StockReserved -> orders',
  'PaymentRequested -> payments',
  'PaymentCaptured -> billing',
  'OrderProcessed -> orders',
  'OrderConfirmed -> inventory',
];

const DATABASE = 'bench_ceiling';
const DEFAULTS = { prefetch: 50, poolSize: 10, confirmWindow: 1_000, payloadBytes: 500 };
const DRAIN_TIMEOUT_MS = 300_000;

export async function measureBrokerCeiling({
  amqpUrl,
  adminUrl,
  messages,
  runId,
  queueType = 'quorum',
  ...overrides
}) {
  const settings = { ...DEFAULTS, ...overrides };
  const queue = `bench.ceiling.${runId}`;
  await dropDatabase(adminUrl, DATABASE);
  await createDatabase(adminUrl, DATABASE);
  const pool = new pg.Pool({
    connectionString: databaseUrl(adminUrl, DATABASE),
    max: settings.poolSize,
  });
  const connections = [];
  try {
    await pool.query(
      'CREATE TABLE bench_hop (message_id uuid PRIMARY KEY, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
    );
    // Separate connections, like separate services: flow control on one never stalls the other.
    // noDelay: Nagle would hold small frames (acks, a publish's last frame) for the broker's
    // delayed ACK, ~40 ms each time; the services set it too.
    const consumer = await amqp.connect(amqpUrl, {
      noDelay: true,
      clientProperties: { connection_name: `bench ceiling consumer ${runId}` },
    });
    const publisher = await amqp.connect(amqpUrl, {
      noDelay: true,
      clientProperties: { connection_name: `bench ceiling publisher ${runId}` },
    });
    connections.push(consumer, publisher);
    // A broker-side close fails the measurement (the drain timeout reports it), not the bench.
    for (const connection of connections) connection.on('error', () => undefined);
    const consumeChannel = await consumer.createChannel();
    // Durable, of the services' queue type, like <service>.events; x-expires removes it if the
    // bench dies.
    await consumeChannel.assertQueue(queue, {
      durable: true,
      arguments: { 'x-queue-type': queueType, 'x-expires': 300_000 },
    });
    await consumeChannel.prefetch(settings.prefetch);

    const consumed = consumeAll({ channel: consumeChannel, queue, pool, messages });
    const published = await publishAll({ connection: publisher, queue, messages, settings });
    const { lastAckAt, failedTransactions } = await consumed;
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM bench_hop');
    await consumeChannel.deleteQueue(queue).catch(() => undefined);

    const seconds = (lastAckAt - published.firstPublishAt) / 1000;
    return {
      messages,
      payloadBytes: published.payloadBytes,
      prefetch: settings.prefetch,
      poolSize: settings.poolSize,
      confirmWindow: settings.confirmWindow,
      publishSeconds: (published.lastConfirmAt - published.firstPublishAt) / 1000,
      publishPerSecond: messages / ((published.lastConfirmAt - published.firstPublishAt) / 1000),
      seconds,
      hopPerSecond: messages / seconds,
      rowsCommitted: rows[0].n,
      nackedPublishes: published.nacked,
      failedTransactions,
      hopsPerOrder: HOPS_PER_CONFIRMED_ORDER.length,
      perOrderCeiling: messages / seconds / HOPS_PER_CONFIRMED_ORDER.length,
    };
  } finally {
    for (const connection of connections) await connection.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await dropDatabase(adminUrl, DATABASE).catch(() => undefined);
  }
}

/** Publishes with confirms, many in flight: waits only when `confirmWindow` are unconfirmed. */
async function publishAll({ connection, queue, messages, settings }) {
  const channel = await connection.createConfirmChannel();
  let inFlight = 0;
  let nacked = 0;
  let wakeUp;
  let payloadBytes = 0;
  const firstPublishAt = performance.now();
  let lastConfirmAt = firstPublishAt;
  for (let i = 0; i < messages; i++) {
    const eventId = randomUUID();
    const content = Buffer.from(JSON.stringify(eventLike(eventId, i, settings.payloadBytes)));
    payloadBytes = content.length;
    inFlight++;
    const writable = channel.publish(
      '',
      queue,
      content,
      {
        persistent: true,
        mandatory: true,
        messageId: eventId,
        type: 'BenchHop',
        contentType: 'application/json',
        timestamp: Math.floor(Date.now() / 1000),
      },
      (error) => {
        if (error) nacked++;
        inFlight--;
        lastConfirmAt = performance.now();
        if (wakeUp && inFlight <= settings.confirmWindow / 2) wakeUp();
      },
    );
    if (!writable) await new Promise((resolve) => channel.once('drain', resolve));
    if (inFlight >= settings.confirmWindow) await new Promise((resolve) => (wakeUp = resolve));
    wakeUp = undefined;
  }
  await channel.waitForConfirms();
  await channel.close();
  return { firstPublishAt, lastConfirmAt, nacked, payloadBytes };
}

/** One transaction per delivery, then the ack: the shape of every inbox handler in the services. */
function consumeAll({ channel, queue, pool, messages }) {
  return new Promise((resolve, reject) => {
    let acked = 0;
    let failedTransactions = 0;
    const timer = setTimeout(
      () =>
        reject(new Error(`broker ceiling: only ${acked} of ${messages} messages acked in time`)),
      DRAIN_TIMEOUT_MS,
    );
    const handle = async (message) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          'INSERT INTO bench_hop (message_id, payload) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [message.properties.messageId, message.content.toString('utf8')],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
    channel
      .consume(
        queue,
        (message) => {
          if (!message) return;
          handle(message).then(
            () => {
              channel.ack(message);
              if (++acked === messages) {
                clearTimeout(timer);
                resolve({ lastAckAt: performance.now(), failedTransactions });
              }
            },
            () => {
              failedTransactions++;
              channel.nack(message, false, true);
            },
          );
        },
        { noAck: false },
      )
      .catch(reject);
  });
}

/** About the size and shape of an OrderPlaced envelope. */
function eventLike(eventId, n, targetBytes) {
  const event = {
    eventId,
    eventType: 'BenchHop',
    eventVersion: 1,
    timestamp: new Date().toISOString(),
    source: 'bench',
    data: {
      orderId: randomUUID(),
      customerId: `bench-${n}`,
      items: [{ sku: 'SKU-0001', quantity: 1, unitPrice: { amountCents: 1999, currency: 'EUR' } }],
      total: { amountCents: 1999, currency: 'EUR' },
      note: '',
    },
    metadata: { correlationId: randomUUID(), causationId: randomUUID() },
  };
  const size = JSON.stringify(event).length;
  event.data.note = 'x'.repeat(Math.max(0, targetBytes - size));
  return event;
}
