import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { DomainEvent, isEventType, routingKeyOf } from '@shop/contracts';
import { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { decodeMessage } from './decode-message';
import {
  deadLetterHeaders,
  FailureStory,
  republishProperties,
  retryHeaders,
} from './failure-headers';
import { DeadLetterReason, decideOnFailure, describeError } from './failure-policy';
import { failedAttemptsOf } from './message-headers';
import { RmqConnection } from './rmq-connection';
import { RmqEventContext } from './rmq-event-context';
import { RmqPublisher } from './rmq-publisher';
import {
  handlerDuration,
  messagesConsumed,
  messagesDeadLettered,
  messagesFailed,
  messagesRetried,
  messagesSucceeded,
} from './rmq.metrics';
import { DEFAULT_DRAIN_TIMEOUT_MS, RMQ_OPTIONS, RmqOptions } from './rmq.options';
import {
  buildServiceTopology,
  declareTopology,
  describeTopology,
  serviceQueueNames,
  Topology,
} from './topology';

/** How long to wait before handing a message back when its retry copy could not be published. */
const REQUEUE_BACKOFF_MS = 1_000;

/**
 * A Nest custom transport: consumes `<service>.events` and dispatches each event to the
 * `@EventPattern(eventType)` handler of the app. Every delivery ends in exactly one of:
 * ack after the handler finished, a delayed retry, or the dead-letter queue.
 */
@Injectable()
export class RmqEventServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(RmqEventServer.name);
  private readonly queues: ReturnType<typeof serviceQueueNames>;
  private readonly inFlight = new Set<Promise<void>>();
  private consumerChannel?: ChannelWrapper;
  private consumer?: { channel: ConfirmChannel; consumerTag: string };
  private stopping = false;
  private reportSetupFailure: (error: Error) => void = () => undefined;

  constructor(
    private readonly connection: RmqConnection,
    private readonly publisher: RmqPublisher,
    @Inject(RMQ_OPTIONS) private readonly options: RmqOptions,
  ) {
    super();
    this.queues = serviceQueueNames(options.service);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const topology = this.topology();
      this.log.log(`declaring topology of ${this.options.service}:\n${describeTopology(topology)}`);
      const setupFailed = new Promise<never>((_, reject) => (this.reportSetupFailure = reject));
      this.consumerChannel = this.connection.createChannel('consumer', (channel) =>
        this.startConsuming(channel, topology),
      );
      await Promise.race([
        Promise.all([this.consumerChannel.waitForConnect(), this.publisher.waitForConnect()]),
        setupFailed,
      ]);
      this.reportSetupFailure = () => undefined;
      this.log.log(`consuming ${this.queues.events} (prefetch ${this.options.prefetch})`);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking deliveries, lets in-flight handlers finish and ack, then closes the channel. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.consumer) {
      await this.consumer.channel.cancel(this.consumer.consumerTag).catch(() => undefined);
      this.consumer = undefined;
    }
    const drained = await this.drain(this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    if (!drained) {
      this.log.warn(
        `${this.inFlight.size} handler(s) still running at shutdown; the broker will redeliver them`,
      );
    }
    await this.consumerChannel?.close();
  }

  on(): never {
    throw new Error('RmqEventServer emits no transport events');
  }

  unwrap<T>(): T {
    return this.connection as T;
  }

  /** Bindings come from the app's handlers: a service receives exactly what it handles. */
  private topology(): Topology {
    const patterns = [...this.getHandlers().entries()];
    const notEvents = patterns
      .filter(([, handler]) => !handler.isEventHandler)
      .map(([pattern]) => pattern);
    if (notEvents.length > 0) {
      throw new Error(
        `only @EventPattern handlers are supported; found @MessagePattern for ${notEvents.join(', ')}`,
      );
    }
    const unknown = patterns.map(([pattern]) => pattern).filter((pattern) => !isEventType(pattern));
    if (unknown.length > 0) {
      throw new Error(
        `@EventPattern names event types missing from the catalog: ${unknown.join(', ')}`,
      );
    }
    return buildServiceTopology({
      service: this.options.service,
      routingKeys: patterns.map(([pattern]) => routingKeyOf(pattern as DomainEvent['eventType'])),
      retryDelaysMs: this.options.retry.delaysMs,
    });
  }

  /** Runs on every (re)connect: declare, then consume. */
  private async startConsuming(channel: ConfirmChannel, topology: Topology): Promise<void> {
    try {
      await declareTopology(channel, topology);
      if (this.stopping) return;
      await channel.prefetch(this.options.prefetch);
      const { consumerTag } = await channel.consume(
        this.queues.events,
        (message) => {
          if (message) this.track(this.handleDelivery(channel, message));
          else this.onConsumerCancelledByBroker();
        },
        { noAck: false },
      );
      this.consumer = { channel, consumerTag };
    } catch (error) {
      this.log.error(
        `cannot set up consumer for ${this.queues.events}: ${(error as Error).message}`,
      );
      this.reportSetupFailure(error as Error);
      throw error;
    }
  }

  private async handleDelivery(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const decoded = decodeMessage(message.content);
    // Invalid messages are counted under one label: their `type` could be anything.
    const eventType = decoded.outcome === 'event' ? decoded.event.eventType : 'invalid';
    messagesConsumed.inc({ event_type: eventType });
    const stopTimer = handlerDuration.startTimer({ event_type: eventType });

    if (decoded.outcome === 'poison') {
      await this.deadLetter(channel, message, decoded.reason, { message: decoded.detail });
      stopTimer({ outcome: 'dead-letter' });
      return;
    }
    const { event } = decoded;
    // Patterns are plain event type names: a map lookup, not Nest's JSON-parsing route lookup.
    const handler = this.messageHandlers.get(event.eventType);
    if (!handler) {
      await this.deadLetter(channel, message, 'no-handler', {
        message: `${this.options.service} has no handler for ${event.eventType}`,
      });
      stopTimer({ outcome: 'dead-letter' });
      return;
    }

    try {
      await this.invoke(handler, event, message);
    } catch (error) {
      messagesFailed.inc({ event_type: eventType });
      stopTimer({ outcome: await this.onHandlerFailure(channel, message, event, error) });
      return;
    }
    // Acked only after the handler (and its transaction) finished: a crash before this line
    // means redelivery, which the inbox absorbs.
    this.ack(channel, message);
    messagesSucceeded.inc({ event_type: eventType });
    stopTimer({ outcome: 'success' });
  }

  private async invoke(
    handler: MessageHandler,
    event: DomainEvent,
    message: ConsumeMessage,
  ): Promise<void> {
    const result = await handler(event, new RmqEventContext(message));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async onHandlerFailure(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    event: DomainEvent,
    error: unknown,
  ): Promise<'retry' | 'dead-letter'> {
    const decision = decideOnFailure(
      error,
      failedAttemptsOf(message.properties.headers),
      this.options.retry,
    );
    const described = describeError(error);
    const context = {
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.metadata.correlationId,
    };
    if (decision.outcome === 'dead-letter') {
      await this.deadLetter(channel, message, decision.reason, described, decision.attempts);
      return 'dead-letter';
    }
    this.log.warn({
      msg: `${event.eventType} failed (attempt ${decision.attempts} of ${this.options.retry.maxAttempts}); retrying in ${decision.delayMs} ms: ${described.message}`,
      ...context,
    });
    const story: FailureStory = this.story(decision.attempts, described);
    try {
      await this.sendCopy(
        this.queues.retry(decision.delayMs),
        message,
        retryHeaders(message, story),
      );
    } catch (publishError) {
      this.log.error({
        msg: `cannot schedule retry: ${(publishError as Error).message}; requeueing`,
        ...context,
      });
      await sleep(REQUEUE_BACKOFF_MS);
      this.nack(channel, message, true);
      return 'retry';
    }
    this.ack(channel, message);
    messagesRetried.inc({ event_type: event.eventType, delay_ms: String(decision.delayMs) });
    return 'retry';
  }

  private async deadLetter(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    reason: DeadLetterReason,
    error: { message: string; stack?: string },
    attempts = failedAttemptsOf(message.properties.headers),
  ): Promise<void> {
    const eventType = message.properties.type ?? 'unknown';
    this.log.error({
      msg: `dead-lettering ${eventType} to ${this.queues.dlq} (${reason}): ${error.message}`,
      eventId: message.properties.messageId,
      correlationId: message.properties.correlationId,
      attempts,
    });
    const headers = deadLetterHeaders(message, { ...this.story(attempts, error), reason });
    try {
      await this.sendCopy(this.queues.dlq, message, headers);
    } catch (publishError) {
      // The queue's own dead-letter route still parks it in the DLQ, only without our story.
      this.log.error(
        `cannot publish to ${this.queues.dlq}: ${(publishError as Error).message}; rejecting instead`,
      );
      this.nack(channel, message, false);
      return;
    }
    this.ack(channel, message);
    messagesDeadLettered.inc({
      event_type: isEventType(eventType) ? eventType : 'invalid',
      reason,
    });
  }

  /** The same bytes and identity, new headers, straight to one of this service's queues. */
  private sendCopy(queue: string, message: ConsumeMessage, headers: MessagePropertyHeaders) {
    return this.publisher.publish({
      exchange: '',
      routingKey: queue,
      content: message.content,
      properties: republishProperties(message, headers),
    });
  }

  private story(attempts: number, error: { message: string; stack?: string }): FailureStory {
    return { service: this.options.service, attempts, error, at: new Date() };
  }

  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch (error) {
      // The delivery belonged to a channel that has since closed: the broker redelivers it.
      this.log.warn(`could not ack ${message.properties.messageId}: ${(error as Error).message}`);
    }
  }

  private nack(channel: ConfirmChannel, message: ConsumeMessage, requeue: boolean): void {
    try {
      channel.nack(message, false, requeue);
    } catch (error) {
      this.log.warn(`could not nack ${message.properties.messageId}: ${(error as Error).message}`);
    }
  }

  private onConsumerCancelledByBroker(): void {
    if (this.stopping) return;
    // The queue was deleted under us: reconnecting re-declares it and consumes again.
    this.log.error(`the broker cancelled the consumer of ${this.queues.events}; re-declaring`);
    this.connection.forceReconnect();
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error) =>
      this.log.error(`unexpected delivery failure: ${(error as Error).stack}`),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false }),
      ]);
    }
    return this.inFlight.size === 0;
  }
}
