import { Counter } from 'prom-client';
import { NOTIFICATION_KINDS } from './notification.schema';

export const notificationsSent = new Counter({
  name: 'shop_notifications_sent_total',
  help: 'Messages OPS_WEBHOOK_URL accepted (2xx), by kind',
  labelNames: ['kind'],
});

export const notificationsFailed = new Counter({
  name: 'shop_notifications_failed_total',
  help: 'Failed deliveries to OPS_WEBHOOK_URL (each is retried with backoff until given up), by kind',
  labelNames: ['kind'],
});

// Every kind exists from start-up, at zero: an alert on the rate sees "none yet", not "no data".
for (const kind of NOTIFICATION_KINDS) {
  notificationsSent.inc({ kind }, 0);
  notificationsFailed.inc({ kind }, 0);
}
