// Knows when each order became terminal without asking orders: a private queue on shop.events
// receives order.confirmed / order.cancelled, which orders publishes only after it committed the
// status. One subscription instead of hundreds of GET /orders/:id per second.
import amqp from 'amqplib';
import { performance } from 'node:perf_hooks';

const EXCHANGE = 'shop.events';
const TERMINAL_KEYS = { 'order.confirmed': 'CONFIRMED', 'order.cancelled': 'CANCELLED' };

export async function watchTerminalEvents(amqpUrl) {
  const connection = await amqp.connect(amqpUrl, {
    noDelay: true, // no Nagle delay on the few frames we send
    clientProperties: { connection_name: `bench terminal-watch ${process.pid}` },
  });
  // Without a listener an 'error' would crash the bench; the run reports it instead.
  let lost;
  let closing = false;
  connection.on('error', (error) => (lost = error.message));
  connection.on('close', () => {
    if (!closing) lost ??= 'connection closed';
  });
  const channel = await connection.createChannel();
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  // Exclusive and auto-delete: it vanishes with the bench and never holds anybody's messages.
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  for (const key of Object.keys(TERMINAL_KEYS)) await channel.bindQueue(queue, EXCHANGE, key);

  /** orderId -> first terminal event seen (the relay may publish an event twice). */
  const arrivals = new Map();
  const waiters = new Map();
  let duplicates = 0;

  // noAck: the bench only observes; it has nothing to redo if it misses a message by crashing.
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      const at = performance.now();
      let orderId;
      let reason;
      try {
        const event = JSON.parse(message.content.toString('utf8'));
        orderId = event?.data?.orderId;
        reason = event?.data?.reason;
      } catch {
        return;
      }
      if (typeof orderId !== 'string') return;
      if (arrivals.has(orderId)) {
        duplicates++;
        return;
      }
      const arrival = { status: TERMINAL_KEYS[message.fields.routingKey], reason, at };
      arrivals.set(orderId, arrival);
      for (const resolve of waiters.get(orderId) ?? []) resolve(arrival);
      waiters.delete(orderId);
    },
    { noAck: true },
  );

  return {
    arrivalOf: (orderId) => arrivals.get(orderId),
    /** Why the subscription broke, if it did: arrivals after that moment were missed. */
    get lost() {
      return lost;
    },
    get duplicates() {
      return duplicates;
    },
    /** Resolves with the arrival, or undefined once timeoutMs passed without one. */
    waitFor(orderId, timeoutMs) {
      const known = arrivals.get(orderId);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const list = waiters.get(orderId) ?? [];
          list.splice(list.indexOf(done), 1);
          resolve(undefined);
        }, timeoutMs);
        const done = (arrival) => {
          clearTimeout(timer);
          resolve(arrival);
        };
        waiters.set(orderId, [...(waiters.get(orderId) ?? []), done]);
      });
    },
    async close() {
      closing = true;
      await connection.close().catch(() => undefined);
    },
  };
}
