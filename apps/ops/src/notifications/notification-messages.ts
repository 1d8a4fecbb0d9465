import type { WebhookMessage } from './notification.schema';

/** One failure group's dead letters over one window, as counted by the sender. */
export interface DeadLetterWindow {
  groupId: string;
  groupTitle: string;
  service: string;
  eventType: string | null;
  reason: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

export function groupLink(publicUrl: string, groupId: string): string {
  return `${publicUrl}/#/groups/${groupId}`;
}

/** "200 dead letters in billing · OrderPlaced · ..." with the group's link (Slack `<url|label>`). */
export function deadLetterMessage(window: DeadLetterWindow, publicUrl: string): WebhookMessage {
  const link = groupLink(publicUrl, window.groupId);
  const what = window.count === 1 ? '1 dead letter' : `${window.count} dead letters`;
  const when =
    window.count === 1
      ? `at ${window.firstAt.toISOString()}`
      : `from ${window.firstAt.toISOString()} to ${window.lastAt.toISOString()}`;
  return {
    text: `${what} in ${slackEscape(window.groupTitle)} (${window.reason}) ${when}: <${link}|open the group>`,
    kind: 'dead-letters',
    service: window.service,
    eventType: window.eventType,
    reason: window.reason,
    group: { id: window.groupId, title: window.groupTitle },
    count: window.count,
    firstAt: window.firstAt.toISOString(),
    lastAt: window.lastAt.toISOString(),
    link,
  };
}

export interface LargeOrder {
  orderId: string;
  customerId: string | null;
  amountCents: number;
  currency: string;
}

export function largeOrderMessage(
  order: LargeOrder,
  minAmountCents: number,
  publicUrl: string,
): WebhookMessage {
  const amount = `${formatCents(order.amountCents)} ${order.currency}`;
  return {
    text: `Large order confirmed: ${amount} (order ${order.orderId}${order.customerId ? `, customer ${order.customerId}` : ''}), at least ${formatCents(minAmountCents)} by rule large-order-confirmed`,
    kind: 'business-rule',
    rule: 'large-order-confirmed',
    orderId: order.orderId,
    customerId: order.customerId,
    amountCents: order.amountCents,
    currency: order.currency,
    link: `${publicUrl}/#/messages?orderId=${order.orderId}`,
  };
}

export interface DeclineRateReading {
  declined: number;
  payments: number;
}

export function declineRateMessage(
  state: 'firing' | 'resolved',
  reading: DeclineRateReading,
  rule: { windowMinutes: number; above: number },
): WebhookMessage {
  const rate = reading.payments === 0 ? 0 : reading.declined / reading.payments;
  const measured = `${percent(rate)} of payments declined over the last ${rule.windowMinutes} min (${reading.declined} of ${reading.payments})`;
  return {
    text:
      state === 'firing'
        ? `Payment decline rate above ${percent(rule.above)}: ${measured}`
        : `Payment decline rate back to at most ${percent(rule.above)}: ${measured}`,
    kind: 'business-rule',
    rule: 'payment-decline-rate',
    state,
    rate,
    declined: reading.declined,
    payments: reading.payments,
    windowMinutes: rule.windowMinutes,
    above: rule.above,
  };
}

/** The fields of Alertmanager's webhook (version 4) a message needs. */
export interface AlertmanagerPayload {
  status: 'firing' | 'resolved';
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt?: string;
  }>;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  externalURL?: string;
}

/** "[FIRING:2] ServiceDown (billing, orders)" and one line per alert, as Alertmanager's own Slack text. */
export function alertMessage(payload: AlertmanagerPayload): WebhookMessage {
  const alertNames = distinct(payload.alerts.map((alert) => alert.labels['alertname'] ?? 'alert'));
  const services = distinct(
    payload.alerts.flatMap((alert) => (alert.labels['service'] ? [alert.labels['service']] : [])),
  );
  const firing = payload.alerts.filter((alert) => alert.status === 'firing').length;
  const headline = slackEscape(
    `[${payload.status.toUpperCase()}${payload.status === 'firing' ? `:${firing}` : ''}] ${alertNames.join(', ')}${services.length > 0 ? ` (${services.join(', ')})` : ''}`,
  );
  const lines = payload.alerts.map((alert) => {
    const summary = alert.annotations['summary'] ?? alert.annotations['description'];
    const name = alert.labels['alertname'] ?? 'alert';
    const service = alert.labels['service'] ? ` ${alert.labels['service']}` : '';
    return slackEscape(`• ${alert.status} ${name}${service}${summary ? `: ${summary}` : ''}`);
  });
  return {
    text: [headline, ...lines].join('\n'),
    kind: 'alert',
    status: payload.status,
    alertNames,
    services,
    alerts: payload.alerts.map((alert) => ({
      status: alert.status,
      labels: alert.labels,
      summary: alert.annotations['summary'] ?? null,
      startsAt: alert.startsAt,
      endsAt: alert.endsAt ?? null,
    })),
    groupLabels: payload.groupLabels,
    link: payload.externalURL ?? null,
  };
}

/** Slack reads `<...>` as a link or mention: what others wrote is shown as written. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1_000) / 10}%`;
}

function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
