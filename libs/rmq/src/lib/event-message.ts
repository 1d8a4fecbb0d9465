import { DomainEvent } from '@shop/contracts';
import type { Options } from 'amqplib';
import { MessageHeaders } from './message-headers';

/**
 * The AMQP properties that mirror an event's envelope (docs/architecture.md, "Events").
 * `traceparent` is not among them: the publisher adds it from the trace context it publishes in.
 */
export function eventMessageProperties(event: DomainEvent): Options.Publish {
  return {
    messageId: event.eventId,
    type: event.eventType,
    correlationId: event.metadata.correlationId,
    appId: event.source,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    persistent: true,
    timestamp: Math.floor(Date.parse(event.timestamp) / 1000),
    headers: {
      [MessageHeaders.eventVersion]: event.eventVersion,
      [MessageHeaders.causationId]: event.metadata.causationId,
    },
  };
}

export function encodeEvent(event: DomainEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}
