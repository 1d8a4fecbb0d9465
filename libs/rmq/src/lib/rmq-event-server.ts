import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MESSAGING_FAULTS, MessagingFaults, NO_FAULTS } from './messaging-faults';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import type { Span } from '@opentelemetry/api';
import { DomainEvent, EventType } from '@shop/contracts';
import { ShopAttributes } from '@shop/tracing';
import { setTimeout as sleep } from 'node:timers/promises';
import { InFlightWork } from './in-flight-work';
import { lastValueFrom } from 'rxjs';
import { DEFAULT_PROBE_BACKOFF } from './circuit-breaker';
import { CircuitStatus, ConsumerCircuit } from './consumer-circuit';
import { DecodedMessage, decodeMessage } from './decode-message';
import { Delivery } from './delivery';
import { DeliveryForwarder } from './delivery-forwarder';
import { deadLetterHeaders, FailureStory, retryHeaders } from './failure-headers';
import { DeadLetterReason, decideOnFailure, describeError } from './failure-policy';
import { ForwardedDeliveries } from './forwarded-deliveries';
import { failedAttemptsOf } from './message-headers';
import { checkEventHandlers } from './check-event-handlers';
import { inConsumeSpan, recordFailure } from './message-spans';
import { ConsumerStatus, QueueConsumer } from './queue-consumer';
import { RmqConnection } from './rmq-connection';
import { RmqEventContext } from './rmq-event-context';
import { replayIdOf, ReplayHandling, ReplayOutcome, replayOutcomeMessage } from './replay-outcome';
import { RmqPublisher } from './rmq-publisher';
import {
  handlerDuration,
  messagesConsumed,
  messagesDeadLettered,
  messagesFailed,
  messagesRequeued,
  initialiseMessageMetrics,
  messagesRetried,
  messagesSucceeded,
} from './rmq.metrics';
import { DEFAULT_DRAIN_TIMEOUT_MS, RMQ_OPTIONS, RmqOptions } from './rmq.options';
import { SHOP_SUBSCRIPTIONS, Subscriptions } from './subscriptions';
import { serviceTopology } from './service-topology';
import { describeTopology, serviceQueueNames, ServiceTopology } from './topology';

/** How a delivery ended, as `shop_message_handler_duration_seconds{outcome}` shows it. */
type DeliveryOutcome = 'success' | 'retry' | 'dead-letter' | 'requeued';

/** Why a delivery went back to its queue without counting an attempt. */
type RequeueReason =
  /** The handler failed because a dependency is unreachable. */
  | 'dependency-outage'
  /** It arrived after the circuit opened. */
  | 'circuit-open'
  /** Its retry or dead-letter copy was not confirmed by the broker. */
  | 'copy-not-sent'
  /** Handling it failed in an unexpected way (a bug); it is tried again after a pause. */
  | 'unexpected-failure';

/** The event type a delivery is counted under: from the catalog, or `unknown`. */
type EventTypeLabel = EventType | 'unknown';

const UNEXPECTED_FAILURE_REQUEUE_MS = 1_000;

export interface EventServerStatus {
  consumer: ConsumerStatus;
  circuit: CircuitStatus;
}

/**
 * A Nest custom transport: consumes `<service>.events` and dispatches each event to the
 * `@OnEvent(eventType)` handler of the app (which hands the handler's real error back, so no
 * exception filter needs installing). Every delivery ends in exactly one of: ack
 * after the handler finished, a delayed retry, the dead-letter queue, or (when an outage, not
 * the message, is at fault) back in its queue without counting an attempt.
 */
@Injectable()
export class RmqEventServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(RmqEventServer.name);
  private readonly queues: ReturnType<typeof serviceQueueNames>;
  private readonly subscriptions: Subscriptions;
  private readonly topology: ServiceTopology;
  private readonly consumer: QueueConsumer;
  private readonly circuit: ConsumerCircuit;
  private readonly forwarder: DeliveryForwarder;
  private readonly forwardedDeliveries = new ForwardedDeliveries();
  private readonly inFlight = new InFlightWork();
  private readonly faults: MessagingFaults;

  constructor(
    private readonly connection: RmqConnection,
    private readonly publisher: RmqPublisher,
    @Inject(RMQ_OPTIONS) private readonly options: RmqOptions,
    @Optional() @Inject(MESSAGING_FAULTS) faults?: MessagingFaults,
  ) {
    super();
    this.faults = faults ?? NO_FAULTS;
    this.queues = serviceQueueNames(options.service);
    this.subscriptions = options.subscriptions ?? SHOP_SUBSCRIPTIONS;
    this.topology = serviceTopology(options);
    this.consumer = new QueueConsumer(connection, {
      queue: this.queues.events,
      prefetch: options.prefetch,
      topology: this.topology,
      onDelivery: (channel, message) => this.track(new Delivery(channel, message)),
    });
    this.circuit = new ConsumerCircuit({
      queue: this.queues.events,
      backoff: options.probeBackoff ?? DEFAULT_PROBE_BACKOFF,
      pause: () => this.consumer.pause(),
      resume: () => this.consumer.resume(),
      probe: () => this.probeDependencies(),
    });
    this.forwarder = new DeliveryForwarder(
      publisher,
      this.queues.dlx,
      this.topology,
      this.forwardedDeliveries,
    );
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      checkEventHandlers(this.getHandlers(), this.subscriptions, this.options.service);
      initialiseMessageMetrics(
        this.subscriptions[this.options.service] ?? [],
        this.options.retry.delaysMs,
      );
      this.log.log(
        `declaring its own queues (the shared exchanges and the other services' queues are the setup step's):\n${describeTopology(this.topology)}`,
      );
      await Promise.all([this.consumer.start(), this.publisher.waitForConnect()]);
      this.log.log(`consuming ${this.queues.events} (prefetch ${this.options.prefetch})`);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking deliveries, lets in-flight handlers finish and settle, then closes the channel. */
  async close(): Promise<void> {
    this.circuit.stop();
    await this.consumer.stop();
    const drained = await this.inFlight.drain(
      this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    );
    if (!drained) {
      this.log.warn(
        `${this.inFlight.size} handler(s) still running at shutdown; the broker will redeliver them`,
      );
    }
    await this.consumer.close();
  }

  /** Whether deliveries are being taken, and if not, why: for `/health/ready`. */
  consumerStatus(): EventServerStatus {
    return { consumer: this.consumer.status(), circuit: this.circuit.status() };
  }

  on(): never {
    throw new Error('RmqEventServer emits no transport events');
  }

  unwrap<T>(): T {
    return this.connection as T;
  }

  private track(delivery: Delivery): void {
    this.inFlight.add(this.settleAlways(delivery));
  }

  /** Whatever goes wrong while handling, the delivery ends acked or back in its queue. */
  private async settleAlways(delivery: Delivery): Promise<void> {
    try {
      await this.handleDelivery(delivery);
    } catch (error) {
      this.reportUnexpectedFailure(delivery, error);
    } finally {
      if (!delivery.settled) {
        // A pause, so that a delivery that keeps failing this way does not spin.
        await sleep(UNEXPECTED_FAILURE_REQUEUE_MS);
        delivery.requeue();
        messagesRequeued.inc({ event_type: 'unknown', reason: 'unexpected-failure' });
      }
    }
  }

  private async handleDelivery(delivery: Delivery): Promise<void> {
    const { message } = delivery;
    if (this.forwardedDeliveries.takeRedelivery(message)) {
      this.skipForwardedRedelivery(delivery);
      return;
    }
    const decoded = decodeMessage(message.content);
    // From the catalog only: a poison message's own `type` could be anything.
    const eventType: EventTypeLabel =
      decoded.outcome === 'event' ? decoded.event.eventType : 'unknown';
    if (this.circuit.state !== 'closed') {
      await this.putBack(delivery, eventType, 'circuit-open');
      return;
    }
    messagesConsumed.inc({ event_type: eventType });
    const stopTimer = handlerDuration.startTimer({ event_type: eventType });
    // The handler runs in the span: its SQL and the outbox rows it writes become children.
    const outcome = await inConsumeSpan(
      message,
      this.queues.events,
      decoded.outcome === 'event' ? decoded.event : undefined,
      failedAttemptsOf(message.properties.headers) + 1,
      async (span) => {
        const ended = await this.process(delivery, decoded, eventType, span);
        span.setAttribute(ShopAttributes.outcome, ended);
        return ended;
      },
    );
    stopTimer({ outcome });
  }

  private async process(
    delivery: Delivery,
    decoded: DecodedMessage,
    eventType: EventTypeLabel,
    span: Span,
  ): Promise<DeliveryOutcome> {
    if (decoded.outcome === 'poison') {
      recordFailure(span, new Error(`poison message (${decoded.reason}): ${decoded.detail}`));
      return this.deadLetter(delivery, eventType, decoded.reason, { message: decoded.detail });
    }
    const { event } = decoded;
    // Patterns are plain event type names: a map lookup, not Nest's JSON-parsing route lookup.
    const handler = this.messageHandlers.get(event.eventType);
    if (!handler) {
      const message = `${this.options.service} has no handler for ${event.eventType}`;
      recordFailure(span, new Error(message));
      return this.deadLetter(delivery, eventType, 'no-handler', { message });
    }
    let result: unknown;
    try {
      await this.faults.beforeHandler(event.eventType);
      result = await this.invoke(handler, event, delivery);
    } catch (error) {
      messagesFailed.inc({ event_type: eventType });
      recordFailure(span, error);
      return this.onHandlerFailure(delivery, event, error);
    }
    // Acked only after the handler (and its transaction) finished: a crash before this line
    // means redelivery, which the inbox absorbs (the crash-before-ack fault shows it).
    this.faults.beforeAck(event.eventType);
    delivery.ack();
    this.circuit.recordSuccess();
    messagesSucceeded.inc({ event_type: eventType });
    await this.acknowledgeReplay(delivery, event, result === 'duplicate' ? 'duplicate' : 'handled');
    return 'success';
  }

  /** The handler's result: an `InboxOutcome` ('handled' | 'duplicate') when it used the inbox. */
  private async invoke(
    handler: MessageHandler,
    event: DomainEvent,
    delivery: Delivery,
  ): Promise<unknown> {
    const result = await handler(event, new RmqEventContext(delivery.message));
    return lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  /**
   * A message apps/ops retried (it carries `x-replay-id`) was handled: say so on
   * `shop.monitoring`, after the ack, so ops marks its dead letter resolved without polling
   * anyone. Best effort: the event is handled either way; a lost acknowledgement leaves the
   * dead letter `retrying` in ops, and the log says why.
   */
  private async acknowledgeReplay(
    delivery: Delivery,
    event: DomainEvent,
    outcome: ReplayHandling,
  ): Promise<void> {
    const replayId = replayIdOf(delivery.message);
    if (!replayId) return;
    const acknowledgement: ReplayOutcome = {
      replayId,
      service: this.options.service,
      eventId: event.eventId,
      outcome,
      at: new Date().toISOString(),
    };
    try {
      await this.publisher.publish(replayOutcomeMessage(acknowledgement));
    } catch (error) {
      this.log.warn({
        msg: `cannot acknowledge replay ${replayId} on shop.monitoring: ${describeError(error).message}`,
        eventId: event.eventId,
      });
    }
  }

  private async onHandlerFailure(
    delivery: Delivery,
    event: DomainEvent,
    error: unknown,
  ): Promise<DeliveryOutcome> {
    const described = describeError(error);
    const guard = this.options.dependencyGuard;
    if (guard?.isOutage(error)) {
      // Not the message's fault: no attempt is counted, and nobody consumes until it is back.
      await this.circuit.reportOutage(`${guard.name} unreachable: ${described.message}`);
      return this.putBack(delivery, event.eventType, 'dependency-outage');
    }
    const decision = decideOnFailure(
      error,
      failedAttemptsOf(delivery.message.properties.headers),
      this.options.retry,
    );
    if (decision.outcome === 'dead-letter') {
      return this.deadLetter(
        delivery,
        event.eventType,
        decision.reason,
        described,
        decision.attempts,
      );
    }
    this.log.warn({
      msg: `${event.eventType} failed (attempt ${decision.attempts} of ${this.options.retry.maxAttempts}); retrying in ${decision.delayMs} ms: ${described.message}`,
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.metadata.correlationId,
    });
    const queue = this.queues.retry(decision.delayMs);
    const sent = await this.forwarder.forward(
      delivery,
      queue,
      retryHeaders(delivery.message, this.story(decision.attempts, described)),
    );
    if (sent.outcome === 'not-forwarded') {
      return this.onCopyNotSent(delivery, event.eventType, queue, sent.error);
    }
    messagesRetried.inc({ event_type: event.eventType, delay_ms: String(decision.delayMs) });
    return 'retry';
  }

  private async deadLetter(
    delivery: Delivery,
    eventType: EventTypeLabel,
    reason: DeadLetterReason,
    error: { message: string; stack?: string },
    attempts = failedAttemptsOf(delivery.message.properties.headers),
  ): Promise<DeliveryOutcome> {
    const { message } = delivery;
    this.log.error({
      msg: `dead-lettering ${eventType} to ${this.queues.dlq} (${reason}): ${error.message}`,
      eventId: message.properties.messageId,
      correlationId: message.properties.correlationId,
      // The message's own claim, for people; metrics only ever see the catalog label.
      type: message.properties.type,
      attempts,
    });
    const queue = this.queues.dlq;
    const sent = await this.forwarder.forward(
      delivery,
      queue,
      deadLetterHeaders(message, { ...this.story(attempts, error), reason }),
    );
    if (sent.outcome === 'not-forwarded') {
      return this.onCopyNotSent(delivery, eventType, queue, sent.error);
    }
    messagesDeadLettered.inc({ event_type: eventType, reason });
    return 'dead-letter';
  }

  /**
   * The broker did not take a retry or dead-letter copy: a broker-side outage, not the
   * message's fault. Requeueing at once would spin without ever advancing `x-attempts`, so the
   * circuit opens and the delivery waits in its queue until publishing works again.
   */
  private async onCopyNotSent(
    delivery: Delivery,
    eventType: EventTypeLabel,
    queue: string,
    error: Error,
  ): Promise<'requeued'> {
    await this.circuit.reportOutage(`cannot publish to ${queue}: ${error.message}`);
    return this.putBack(delivery, eventType, 'copy-not-sent');
  }

  private async putBack(
    delivery: Delivery,
    eventType: EventTypeLabel,
    reason: RequeueReason,
  ): Promise<'requeued'> {
    // Once the consumer has stopped, so that the broker does not hand it straight back to us.
    await this.circuit.consumerStopped();
    delivery.requeue();
    messagesRequeued.inc({ event_type: eventType, reason });
    return 'requeued';
  }

  private skipForwardedRedelivery(delivery: Delivery): void {
    this.log.warn({
      msg: 'acked without handling: the redelivered original of a message already sent on to a delay queue or the DLQ',
      eventId: delivery.message.properties.messageId,
    });
    if (delivery.ack() === 'channel-closed') this.forwardedDeliveries.remember(delivery.message);
  }

  private reportUnexpectedFailure(delivery: Delivery, error: unknown): void {
    try {
      const { message, stack } = describeError(error);
      this.log.error({
        msg: `unexpected failure handling a delivery; back to ${this.queues.events} in ${UNEXPECTED_FAILURE_REQUEUE_MS} ms: ${stack ?? message}`,
        eventId: delivery.message.properties.messageId,
      });
    } catch {
      // Even reporting failed; the delivery is still settled by the caller.
    }
  }

  /** What must answer before consuming resumes: the handlers' dependency, and publishing. */
  private async probeDependencies(): Promise<void> {
    const guard = this.options.dependencyGuard;
    if (guard) {
      await guard.probe().catch((error) => {
        throw new Error(`${guard.name} still unreachable: ${describeError(error).message}`);
      });
    }
    await this.publisher.ping().catch((error) => {
      throw new Error(`RabbitMQ does not confirm publishes: ${describeError(error).message}`);
    });
  }

  private story(attempts: number, error: { message: string; stack?: string }): FailureStory {
    return { service: this.options.service, attempts, error, at: new Date() };
  }
}
