import { Logger } from '@nestjs/common';
import type { ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { Delivery } from './delivery';
import { republishProperties } from './failure-headers';
import { ForwardedDeliveries } from './forwarded-deliveries';
import { UnroutableMessageError } from './publish-errors';
import { RmqPublisher } from './rmq-publisher';
import { ServiceTopology } from './topology';

export type ForwardOutcome =
  | { outcome: 'forwarded' }
  /** The broker did not take the copy; the original is not settled, the caller decides. */
  | { outcome: 'not-forwarded'; error: Error };

/**
 * Sends a delivery on to a delay queue or the DLQ, through the service's own redirect exchange
 * (`<service>.dlx`): the same bytes and identity with new headers, confirmed by the broker,
 * and only then acks the original. A missing target queue (deleted in the management UI, say)
 * is declared and bound again first, so a dead letter is never published into nothing.
 */
export class DeliveryForwarder {
  private readonly log = new Logger(DeliveryForwarder.name);

  constructor(
    private readonly publisher: RmqPublisher,
    /** The service's redirect exchange: it routes each of the service's queues by its name. */
    private readonly exchange: string,
    private readonly topology: ServiceTopology,
    private readonly forwarded: ForwardedDeliveries,
  ) {}

  async forward(
    delivery: Delivery,
    queue: string,
    headers: MessagePropertyHeaders,
  ): Promise<ForwardOutcome> {
    const sent = await this.send(queue, delivery.message, headers);
    if (sent.outcome === 'forwarded' && delivery.ack() === 'channel-closed') {
      // The copy lives on and the broker will redeliver the original: remember it, so that
      // the redelivery is acked instead of starting a second lineage.
      this.log.warn({
        msg: `copy sent to ${queue}, but the original could not be acked (channel closed); its redelivery will be acked without handling`,
        eventId: delivery.message.properties.messageId,
      });
      this.forwarded.remember(delivery.message);
    }
    return sent;
  }

  private async send(
    queue: string,
    message: ConsumeMessage,
    headers: MessagePropertyHeaders,
  ): Promise<ForwardOutcome> {
    try {
      await this.publishCopy(queue, message, headers);
      return { outcome: 'forwarded' };
    } catch (error) {
      if (!(error instanceof UnroutableMessageError)) return notForwarded(error);
    }
    const spec = this.topology.queues.find((candidate) => candidate.name === queue);
    const route = this.topology.bindings.find(
      (binding) => binding.queue === queue && binding.exchange === this.exchange,
    );
    if (!spec || !route) return notForwarded(new Error(`${queue} is not part of the topology`));
    this.log.warn(`${queue} does not exist (deleted?); declaring it again before sending to it`);
    try {
      await this.publisher.declareQueue(spec);
      await this.publisher.declareBinding(route);
      await this.publishCopy(queue, message, headers);
      return { outcome: 'forwarded' };
    } catch (error) {
      return notForwarded(error);
    }
  }

  private publishCopy(queue: string, message: ConsumeMessage, headers: MessagePropertyHeaders) {
    return this.publisher.publish({
      exchange: this.exchange,
      routingKey: queue,
      content: message.content,
      properties: republishProperties(message, headers),
    });
  }
}

function notForwarded(error: unknown): ForwardOutcome {
  return {
    outcome: 'not-forwarded',
    error: error instanceof Error ? error : new Error(String(error)),
  };
}
