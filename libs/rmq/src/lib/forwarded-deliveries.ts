import type { ConsumeMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import { failedAttemptsOf } from './message-headers';

const DEFAULT_CAPACITY = 10_000;

/**
 * Deliveries whose retry or dead-letter copy the broker confirmed, but whose ack was lost
 * because the channel closed in between. The broker redelivers such an original; handling it
 * would start a second lineage beside the copy (two retry ladders, or a retry beside a dead
 * letter), so it is acked without handling instead.
 *
 * Limits: this is one process's memory, bounded (the oldest entries are forgotten first), and
 * it only sees an ack that failed visibly. A redelivery that reaches another instance, or one
 * after a crash, is handled; the inbox then makes the second lineage harmless for effects.
 */
export class ForwardedDeliveries {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  remember(message: ConsumeMessage): void {
    const key = keyOf(message);
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      this.keys.delete(this.keys.values().next().value as string);
    }
  }

  /** True, once, when the message is the redelivered original of a forwarded delivery. */
  takeRedelivery(message: ConsumeMessage): boolean {
    return message.fields.redelivered && this.keys.delete(keyOf(message));
  }

  get size(): number {
    return this.keys.size;
  }
}

/** The same message at the same attempt: its copy carries one attempt more, so never matches. */
function keyOf(message: ConsumeMessage): string {
  const identity =
    message.properties.messageId ?? createHash('sha256').update(message.content).digest('hex');
  return `${identity}#${failedAttemptsOf(message.properties.headers)}`;
}
