import { Counter, Gauge } from 'prom-client';

export const duplicatesSkipped = new Counter({
  name: 'shop_messages_duplicate_total',
  help: 'Deliveries of an event this service had already handled (acked and skipped)',
  labelNames: ['event_type'],
});

export const messagesPruned = new Counter({
  name: 'shop_messages_pruned_total',
  help: 'Inbox and outbox rows deleted after the retention window',
  labelNames: ['table'],
});

export const outboxPublishFailures = new Counter({
  name: 'shop_outbox_publish_failures_total',
  help: 'Outbox rows whose publish failed and will be tried again',
  labelNames: ['event_type'],
});

/** Measures the outbox on each scrape; installed by the relay once it has a database. */
let measureBacklog: (() => Promise<void>) | undefined;

export function setOutboxBacklogProbe(probe: () => Promise<void>): void {
  measureBacklog = probe;
}

export const outboxBacklog = new Gauge({
  name: 'shop_outbox_backlog',
  help: 'Outbox rows not yet confirmed by the broker',
  collect: () => measureBacklog?.(),
});

export const outboxOldestPendingSeconds = new Gauge({
  name: 'shop_outbox_oldest_pending_seconds',
  help: 'Age of the oldest unpublished outbox row (0 when drained)',
});
