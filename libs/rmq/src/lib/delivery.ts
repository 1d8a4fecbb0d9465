import type { ConfirmChannel, ConsumeMessage } from 'amqplib';

/**
 * How a delivery was settled. `channel-closed`: its channel was gone, so nothing could be sent;
 * the broker hands the message out again by itself.
 */
export type Settlement = 'acked' | 'requeued' | 'channel-closed';

/** A message handed to this consumer, settled exactly once: acked, or put back in its queue. */
export class Delivery {
  private settlement?: Settlement;

  constructor(
    private readonly channel: ConfirmChannel,
    readonly message: ConsumeMessage,
  ) {}

  get settled(): boolean {
    return this.settlement !== undefined;
  }

  ack(): Settlement {
    return this.settle('acked', () => this.channel.ack(this.message));
  }

  /**
   * Back to its queue as it is: `x-attempts` does not move, because the message was not at fault.
   * Never a reject without requeue: that would leave the message's fate to the queue's
   * dead-letter route, which drops it if the DLQ was deleted.
   */
  requeue(): Settlement {
    return this.settle('requeued', () => this.channel.nack(this.message, false, true));
  }

  private settle(settlement: Settlement, send: () => void): Settlement {
    if (this.settlement) return this.settlement;
    try {
      send();
      this.settlement = settlement;
    } catch {
      // amqplib throws only when the channel is closed (or closing).
      this.settlement = 'channel-closed';
    }
    return this.settlement;
  }
}
