import { EventType, isEventType } from '@shop/contracts';
import { Counter, Gauge, Histogram } from 'prom-client';

// Registered once per process on prom-client's default registry; the platform lib serves
// it on /metrics and labels every series with the service name.

/**
 * The `event_type` label of a message: a catalog event type, or `unknown`. Never the message's
 * own `type` unchecked: a poison message could name anything, and every new value would be a
 * new series kept in memory for the life of the process.
 */
export function eventTypeLabel(type: string | undefined): EventType | 'unknown' {
  return type !== undefined && isEventType(type) ? type : 'unknown';
}

export const messagesConsumed = new Counter({
  name: 'shop_messages_consumed_total',
  help: 'Messages delivered to this service, valid or not (event_type="unknown" when invalid)',
  labelNames: ['event_type'],
});

export const messagesSucceeded = new Counter({
  name: 'shop_messages_succeeded_total',
  help: 'Messages whose handler finished and that were acked',
  labelNames: ['event_type'],
});

export const messagesFailed = new Counter({
  name: 'shop_messages_failed_total',
  help: 'Handler attempts that threw',
  labelNames: ['event_type'],
});

export const messagesRetried = new Counter({
  name: 'shop_messages_retried_total',
  help: 'Messages sent to a delay queue for another attempt',
  labelNames: ['event_type', 'delay_ms'],
});

export const messagesDeadLettered = new Counter({
  name: 'shop_messages_dead_lettered_total',
  help: 'Messages parked in the dead-letter queue',
  labelNames: ['event_type', 'reason'],
});

export const handlerDuration = new Histogram({
  name: 'shop_message_handler_duration_seconds',
  help: 'Time from delivery to ack, retry, dead-letter or requeue',
  labelNames: ['event_type', 'outcome'],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export const eventsPublished = new Counter({
  name: 'shop_events_published_total',
  help: 'Publishes confirmed by the broker',
  labelNames: ['event_type'],
});

export const publishFailures = new Counter({
  name: 'shop_publish_failures_total',
  help: 'Publishes that were returned as unroutable, nacked or not confirmed in time',
  labelNames: ['event_type', 'reason'],
});

export const messagesRequeued = new Counter({
  name: 'shop_messages_requeued_total',
  help: 'Deliveries handed back to their queue without counting an attempt (an outage, not the message, was at fault)',
  labelNames: ['event_type', 'reason'],
});

export const consumerCircuitOpen = new Gauge({
  name: 'shop_consumer_circuit_open',
  help: '1 while the consumer circuit is open or half-open (a dependency is unreachable; not consuming), 0 when closed',
});

export const queueMessagesProcessed = new Counter({
  name: 'shop_queue_messages_processed_total',
  help: 'Deliveries of a non-event queue (a QueueProcessor, e.g. the DLQ collector): acked after the handler, or requeued',
  labelNames: ['queue', 'outcome'],
});
