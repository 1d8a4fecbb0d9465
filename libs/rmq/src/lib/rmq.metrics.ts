import { Counter, Histogram } from 'prom-client';

// Registered once per process on prom-client's default registry; the platform lib serves
// it on /metrics and labels every series with the service name.

export const messagesConsumed = new Counter({
  name: 'shop_messages_consumed_total',
  help: 'Messages delivered to this service, valid or not',
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
  help: 'Time from delivery to ack, retry or dead-letter',
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
