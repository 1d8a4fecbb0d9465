import { BindingSpec, declareBinding, QueueSpec } from '@shop/rmq';
import type { Channel, ConfirmChannel, connect } from 'amqplib';

type AmqpConnection = Awaited<ReturnType<typeof connect>>;

/** Messages moved per confirm round: each batch is acked at the source only once confirmed. */
const MOVE_BATCH = 500;

/** Where a queue's messages wait while the queue is re-created with its new arguments. */
export function migratingQueueName(queue: string): string {
  return `${queue}.migrating`;
}

/**
 * Re-creates `queue` with the arguments this version declares (another `x-queue-type`, say)
 * without losing a message, while nothing consumes it:
 *
 * 1. a holding queue `<queue>.migrating` gets the queue's bindings, so whatever is published
 *    meanwhile lands there too;
 * 2. every message moves to it (acked at the source only after the broker confirmed the copy);
 * 3. the old queue is deleted, and declared again, with its bindings;
 * 4. the messages move back, and the holding queue is deleted.
 *
 * Interrupted at any point, running it again finishes the job (`finishMigration`). A message
 * can be copied twice if it is interrupted between a confirm and its ack: consumers' inboxes
 * take duplicates (docs/reliability.md).
 */
export async function migrateQueue(
  connection: AmqpConnection,
  queue: QueueSpec,
  bindings: BindingSpec[],
  log: (line: string) => void,
): Promise<void> {
  const holding = migratingQueueName(queue.name);
  await withConfirmChannel(connection, async (channel) => {
    await channel.assertQueue(holding, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    for (const binding of bindings) await declareBinding(channel, { ...binding, queue: holding });
    const moved = await moveMessages(channel, queue.name, holding);
    await channel.deleteQueue(queue.name, { ifEmpty: true });
    log(`queue ${queue.name}: ${moved} message(s) set aside in ${holding}, old queue deleted`);
  });
  await finishMigration(connection, queue, bindings, log);
}

/**
 * Step 3 and 4 of `migrateQueue`, also for a migration that was interrupted: when a holding
 * queue exists for `queue`, the queue is declared with its bindings and gets its messages back.
 */
export async function finishMigration(
  connection: AmqpConnection,
  queue: QueueSpec,
  bindings: BindingSpec[],
  log: (line: string) => void,
): Promise<void> {
  const holding = migratingQueueName(queue.name);
  if (!(await queueExists(connection, holding))) return;
  await withConfirmChannel(connection, async (channel) => {
    await channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments });
    for (const binding of bindings) await declareBinding(channel, binding);
    const moved = await moveMessages(channel, holding, queue.name);
    await channel.deleteQueue(holding);
    log(
      `queue ${queue.name} migrated (x-queue-type ${queue.arguments['x-queue-type']}): ${moved} message(s) moved back`,
    );
  });
}

async function withConfirmChannel(
  connection: AmqpConnection,
  work: (channel: ConfirmChannel) => Promise<void>,
): Promise<void> {
  const channel = await connection.createConfirmChannel();
  try {
    await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function queueExists(connection: AmqpConnection, name: string): Promise<boolean> {
  // A passive declare of a missing queue closes its channel: one channel for the question.
  const channel: Channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await channel.checkQueue(name);
    return true;
  } catch {
    return false;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Copies every message of `from` into `to` through the default exchange, properties and all. */
async function moveMessages(channel: ConfirmChannel, from: string, to: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch = [];
    for (let i = 0; i < MOVE_BATCH; i++) {
      const message = await channel.get(from, { noAck: false });
      if (message === false) break;
      // userId would have to match the user copying it (the broker checks it); nobody sets it.
      const { headers, userId: _userId, ...properties } = message.properties;
      channel.sendToQueue(to, message.content, {
        ...properties,
        // The broker's own count of this queue's deliveries means nothing in the next one.
        headers: withoutKeys(headers ?? {}, ['x-delivery-count']),
        persistent: true,
      });
      batch.push(message);
    }
    if (batch.length === 0) return moved;
    await channel.waitForConfirms();
    channel.ack(batch[batch.length - 1], true);
    moved += batch.length;
  }
}

function withoutKeys(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}
