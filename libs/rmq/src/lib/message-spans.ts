import { Attributes, Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DomainEvent } from '@shop/contracts';
import {
  extractTraceContext,
  MessagingAttributes,
  ShopAttributes,
  shopTracer,
} from '@shop/tracing';
import type { ConsumeMessage } from 'amqplib';

/** What people search a trace by: the saga, the order, the event. */
export function eventAttributes(event: DomainEvent): Attributes {
  const orderId = (event.data as { orderId?: unknown } | undefined)?.orderId;
  return {
    [ShopAttributes.correlationId]: event.metadata.correlationId,
    [ShopAttributes.eventType]: event.eventType,
    [ShopAttributes.eventId]: event.eventId,
    ...(typeof orderId === 'string' && { [ShopAttributes.orderId]: orderId }),
  };
}

/**
 * Runs `publish` in a PRODUCER span, child of the active context. The caller decides that
 * context: the outbox relay restores the one stored with the row, never its own.
 */
export function inPublishSpan<T>(
  event: DomainEvent,
  destination: { exchange: string; routingKey: string },
  publish: () => Promise<T>,
): Promise<T> {
  return shopTracer().startActiveSpan(
    `publish ${event.eventType}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [MessagingAttributes.system]: 'rabbitmq',
        [MessagingAttributes.operation]: 'publish',
        [MessagingAttributes.destinationName]: destination.exchange,
        [MessagingAttributes.routingKey]: destination.routingKey,
        [MessagingAttributes.messageId]: event.eventId,
        ...eventAttributes(event),
      },
    },
    (span) => endWith(span, publish()),
  );
}

/**
 * Runs the handling of one delivery in a CONSUMER span, child of the producer span whose
 * context travelled in the `traceparent` header. Retry and dead-letter copies keep that
 * header, so every attempt of a message is a sibling in the same trace.
 */
export function inConsumeSpan<T>(
  message: ConsumeMessage,
  queue: string,
  event: DomainEvent | undefined,
  attempt: number,
  handle: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = extractTraceContext(message.properties.headers);
  const eventType = event?.eventType ?? 'unknown';
  return shopTracer().startActiveSpan(
    `process ${eventType}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [MessagingAttributes.system]: 'rabbitmq',
        [MessagingAttributes.operation]: 'process',
        [MessagingAttributes.destinationName]: queue,
        [MessagingAttributes.routingKey]: message.fields.routingKey,
        ...(message.properties.messageId && {
          [MessagingAttributes.messageId]: String(message.properties.messageId),
        }),
        [ShopAttributes.attempt]: attempt,
        ...(event && eventAttributes(event)),
      },
    },
    parent,
    (span) => endWith(span, handle(span)),
  );
}

/** Marks a span failed with the error that failed it, as an exception event. */
export function recordFailure(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

async function endWith<T>(span: Span, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}
