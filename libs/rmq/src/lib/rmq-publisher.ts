import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MESSAGING_FAULTS, MessagingFaults, NO_FAULTS } from './messaging-faults';
import { DomainEvent, routingKeyOf } from '@shop/contracts';
import { ChannelWrapper } from 'amqp-connection-manager';
import type { ConsumeMessage, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { injectTraceHeaders } from '@shop/tracing';
import { encodeEvent, eventMessageProperties } from './event-message';
import { inPublishSpan } from './message-spans';
import { PublishNotConfirmedError, UnroutableMessageError } from './publish-errors';
import { RmqConnection } from './rmq-connection';
import { eventsPublished, eventTypeLabel, publishFailures } from './rmq.metrics';
import { DEFAULT_PUBLISH_TIMEOUT_MS, RMQ_OPTIONS, RmqOptions } from './rmq.options';
import {
  BindingSpec,
  declareBinding,
  declareQueue,
  EVENTS_EXCHANGE,
  MissingExchangeError,
  MONITORING_EXCHANGE,
  MonitoringRoutingKeys,
  QueueSpec,
  SHARED_EXCHANGES,
} from './topology';

/** A ping is a publish nobody receives; it only proves the broker takes and confirms publishes. */
const PING_TIMEOUT_MS = 2_000;

/** At most one fresh publish connection per this long, however many publishes fail meanwhile. */
const RENEW_AFTER_NOT_CONFIRMED_MS = 10_000;

/** Where a best-effort publish ended: `unroutable` means nobody is listening, which is normal. */
export type BestEffortOutcome = 'routed' | 'unroutable';

export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  properties: Options.Publish;
}

/**
 * Publishes with publisher confirms, persistent delivery and `mandatory`: a promise resolves
 * only once the broker has taken responsibility for the message, and rejects if the message
 * could not be routed to any queue.
 */
@Injectable()
export class RmqPublisher {
  private readonly log = new Logger(RmqPublisher.name);
  private readonly channel: ChannelWrapper;
  private lastRenewalAt = 0;
  /** Publishes the broker returned as unroutable; a return always arrives before its confirm. */
  private readonly returned = new Set<string>();
  private readonly timeoutMs: number;
  private readonly pingRoutingKey: string;

  private readonly faults: MessagingFaults;

  constructor(
    private readonly connection: RmqConnection,
    @Inject(RMQ_OPTIONS) options: RmqOptions,
    @Optional() @Inject(MESSAGING_FAULTS) faults?: MessagingFaults,
  ) {
    this.faults = faults ?? NO_FAULTS;
    this.timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    this.pingRoutingKey = MonitoringRoutingKeys.ping(options.service);
    this.channel = connection.createChannel('publish', 'publisher', async (channel) => {
      channel.on('return', (message: ConsumeMessage) =>
        this.returned.add(
          returnKey(
            message.fields.exchange,
            message.fields.routingKey,
            message.properties.messageId,
          ),
        ),
      );
      // Before any publish: publishing to a missing exchange closes the channel. Checked,
      // not declared: the shared exchanges are the setup step's (docs/architecture.md).
      for (const exchange of SHARED_EXCHANGES) {
        await channel.checkExchange(exchange).catch((error: unknown) => {
          throw new MissingExchangeError(exchange, error);
        });
      }
    });
  }

  /**
   * Publishes an event to `shop.events` under its catalog routing key, in a PRODUCER span
   * child of the active context; its `traceparent` header carries that span to the consumers.
   */
  async publishEvent(event: DomainEvent): Promise<void> {
    const destination = { exchange: EVENTS_EXCHANGE, routingKey: routingKeyOf(event.eventType) };
    await inPublishSpan(event, destination, async () => {
      const properties = eventMessageProperties(event);
      injectTraceHeaders((properties.headers ??= {}));
      const message = { ...destination, content: encodeEvent(event), properties };
      // More than once only under the duplicate-publish fault: consumers' inboxes absorb it.
      for (let copy = 0; copy < this.faults.publishCopies(); copy++) await this.publish(message);
    });
  }

  async publish(message: OutgoingMessage): Promise<void> {
    const eventType = eventTypeLabel(message.properties.type);
    let routed: boolean;
    try {
      routed = await this.send(message, { persistent: true, timeoutMs: this.timeoutMs });
    } catch (error) {
      publishFailures.inc({ event_type: eventType, reason: 'not-confirmed' });
      this.renewAfterNotConfirmed();
      throw new PublishNotConfirmedError(message.routingKey, error);
    }
    if (!routed) {
      publishFailures.inc({ event_type: eventType, reason: 'unroutable' });
      throw new UnroutableMessageError(message.exchange, message.routingKey);
    }
    eventsPublished.inc({ event_type: eventType });
  }

  /**
   * A channel that published while a quorum queue had no majority can stay stuck once the
   * majority is back (RabbitMQ 3.10: every later publish on it times out or is nacked, while a
   * new channel's are confirmed; tests/cluster shows it). So a publish that was not confirmed
   * renews the publish connection, throttled: the retry (the outbox's) goes out on a fresh
   * channel, and with several URLs on the next node.
   */
  private renewAfterNotConfirmed(): void {
    const now = Date.now();
    if (now - this.lastRenewalAt < RENEW_AFTER_NOT_CONFIRMED_MS) return;
    this.lastRenewalAt = now;
    this.log.warn('a publish was not confirmed: renewing the publish connection');
    this.connection.forceReconnect('publish');
  }

  /**
   * For monitoring messages (heartbeats, logs), which may be lost: not persistent, given up
   * after `timeoutMs` (rejects with `PublishNotConfirmedError`), and not counted as event
   * publishes. A message no queue is bound for resolves `unroutable` instead of failing.
   */
  async publishBestEffort(message: OutgoingMessage, timeoutMs: number): Promise<BestEffortOutcome> {
    try {
      const routed = await this.send(message, { persistent: false, timeoutMs });
      return routed ? 'routed' : 'unroutable';
    } catch (error) {
      throw new PublishNotConfirmedError(message.routingKey, error);
    }
  }

  /** Resolves once the broker confirmed the message: true if a queue took it, false if returned. */
  private async send(
    { exchange, routingKey, content, properties }: OutgoingMessage,
    { persistent, timeoutMs }: { persistent: boolean; timeoutMs: number },
  ): Promise<boolean> {
    const messageId = properties.messageId ?? randomUUID();
    const key = returnKey(exchange, routingKey, messageId);
    try {
      await this.channel.publish(exchange, routingKey, content, {
        ...properties,
        messageId,
        persistent,
        mandatory: true,
        timeout: timeoutMs,
      } as Options.Publish & { timeout: number });
    } catch (error) {
      this.returned.delete(key);
      throw error;
    }
    return !this.returned.delete(key);
  }

  /**
   * Resolves once the broker confirmed a publish that no queue receives (`ping.<service>` on
   * `shop.monitoring`, not mandatory): publishing works right now. A memory or disk alarm
   * blocks publishes without closing the connection, so "connected" alone would not say it.
   */
  async ping(): Promise<void> {
    await this.channel.publish(MONITORING_EXCHANGE, this.pingRoutingKey, Buffer.alloc(0), {
      persistent: false,
      timeout: PING_TIMEOUT_MS,
    } as Options.Publish & { timeout: number });
  }

  /** Declares one queue again (one deleted in the management UI, say) before a publish to it. */
  async declareQueue(queue: QueueSpec): Promise<void> {
    await declareQueue(this.channel, queue);
  }

  /** Binds a queue again (one deleted and re-declared) before a publish to it. */
  async declareBinding(binding: BindingSpec): Promise<void> {
    await declareBinding(this.channel, binding);
  }

  /** Resolves once the publisher channel is open (shared exchanges checked). */
  async waitForConnect(): Promise<void> {
    await this.channel.waitForConnect();
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}

function returnKey(exchange: string, routingKey: string, messageId: string | undefined): string {
  return `${exchange}\u0000${routingKey}\u0000${messageId ?? ''}`;
}
