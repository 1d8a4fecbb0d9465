import { Attributes, context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/** Names of the span attributes the shop adds: what a Jaeger user searches an order by. */
export const ShopAttributes = {
  correlationId: 'shop.correlation_id',
  orderId: 'shop.order_id',
  eventType: 'shop.event_type',
  eventId: 'shop.event_id',
  /** 1 on the first delivery of a message, 2 on its first retry, and so on. */
  attempt: 'shop.attempt',
  /** How a consumed message ended: success, retry, dead-letter, requeued. */
  outcome: 'shop.outcome',
} as const;

/** Messaging semantic conventions (https://opentelemetry.io/docs/specs/semconv/messaging/). */
export const MessagingAttributes = {
  system: 'messaging.system',
  destinationName: 'messaging.destination.name',
  operation: 'messaging.operation',
  messageId: 'messaging.message.id',
  routingKey: 'messaging.rabbitmq.destination.routing_key',
} as const;

/** The tracer of the shop's own spans (messages published and consumed). */
export function shopTracer() {
  return trace.getTracer('@shop/tracing');
}

/**
 * Adds attributes to the HTTP server span of the current request, and to the active span.
 * Inside a Nest handler the active span is the handler's, a child: the request span is the
 * one people search for.
 */
export function annotateRequest(attributes: Attributes): void {
  const active = context.active();
  const metadata = getRPCMetadata(active);
  if (metadata?.type === RPCType.HTTP) metadata.span.setAttributes(attributes);
  trace.getSpan(active)?.setAttributes(attributes);
}
