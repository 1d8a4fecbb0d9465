import { Counter, Gauge } from 'prom-client';
import type { OutboxBacklog } from './outbox-store';

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

/** Reads the outbox on each scrape; installed by the relay once it runs. */
let readBacklog: (() => Promise<OutboxBacklog>) | undefined;

export function setOutboxBacklogSource(read: () => Promise<OutboxBacklog>): void {
  readBacklog = read;
}

export const outboxBacklog = new Gauge({
  name: 'shop_outbox_backlog',
  help: 'Outbox rows not yet confirmed by the broker',
  // Both gauges from one query, on each scrape of this one.
  collect: async () => {
    if (!readBacklog) return;
    try {
      const { pending, oldestSeconds } = await readBacklog();
      outboxBacklog.set(pending);
      outboxOldestPendingSeconds.set(oldestSeconds);
    } catch {
      // Database away: keep the last known values rather than failing the whole scrape.
    }
  },
});

const outboxOldestPendingSeconds = new Gauge({
  name: 'shop_outbox_oldest_pending_seconds',
  help: 'Age of the oldest unpublished outbox row (0 when drained)',
});
