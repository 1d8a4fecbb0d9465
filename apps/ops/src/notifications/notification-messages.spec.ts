import {
  alertMessage,
  deadLetterMessage,
  declineRateMessage,
  largeOrderMessage,
} from './notification-messages';

const groupId = '6f1c1d1e-0c1a-4c55-9d1e-2b7c8f3a9e01';

describe('webhook messages', () => {
  it('sums up a window of dead letters in one line with the count, the span and the group link', () => {
    const message = deadLetterMessage(
      {
        groupId,
        groupTitle: 'billing · OrderPlaced · invoice <n> failed',
        service: 'billing',
        eventType: 'OrderPlaced',
        reason: 'retries-exhausted',
        count: 5_000,
        firstAt: new Date('2025-01-01T10:00:00.000Z'),
        lastAt: new Date('2025-01-01T10:00:59.000Z'),
      },
      'https://ops.example.com',
    );
    expect(message).toEqual({
      text: `5000 dead letters in billing · OrderPlaced · invoice &lt;n&gt; failed (retries-exhausted) from 2025-01-01T10:00:00.000Z to 2025-01-01T10:00:59.000Z: <https://ops.example.com/#/groups/${groupId}|open the group>`,
      kind: 'dead-letters',
      service: 'billing',
      eventType: 'OrderPlaced',
      reason: 'retries-exhausted',
      group: { id: groupId, title: 'billing · OrderPlaced · invoice <n> failed' },
      count: 5_000,
      firstAt: '2025-01-01T10:00:00.000Z',
      lastAt: '2025-01-01T10:00:59.000Z',
      link: `https://ops.example.com/#/groups/${groupId}`,
    });
  });

  it('says "1 dead letter at" for a window of one', () => {
    const at = new Date('2025-01-01T10:00:00.000Z');
    const message = deadLetterMessage(
      {
        groupId,
        groupTitle: 'orders · not an event · not JSON',
        service: 'orders',
        eventType: null,
        reason: 'unparseable',
        count: 1,
        firstAt: at,
        lastAt: at,
      },
      'http://localhost:3000',
    );
    expect(message.text).toMatch(
      /^1 dead letter in orders · not an event · not JSON \(unparseable\) at 2025-01-01T10:00:00.000Z: /,
    );
  });

  it('names the amount, the order and the customer of a large confirmed order', () => {
    const message = largeOrderMessage(
      { orderId: 'o-1', customerId: 'alice', amountCents: 250_000, currency: 'EUR' },
      100_000,
      'http://localhost:3000',
    );
    expect(message).toMatchObject({
      text: 'Large order confirmed: 2500.00 EUR (order o-1, customer alice), at least 1000.00 by rule large-order-confirmed',
      kind: 'business-rule',
      rule: 'large-order-confirmed',
      orderId: 'o-1',
      amountCents: 250_000,
    });
  });

  it('gives the measured decline rate when the rule fires and when it resolves', () => {
    const rule = { windowMinutes: 10, above: 0.3 };
    expect(declineRateMessage('firing', { declined: 4, payments: 10 }, rule).text).toBe(
      'Payment decline rate above 30%: 40% of payments declined over the last 10 min (4 of 10)',
    );
    expect(declineRateMessage('resolved', { declined: 1, payments: 10 }, rule)).toMatchObject({
      text: 'Payment decline rate back to at most 30%: 10% of payments declined over the last 10 min (1 of 10)',
      state: 'resolved',
      rate: 0.1,
    });
  });

  it('turns an Alertmanager group into a headline with status, alert names and services, and one line per alert', () => {
    const message = alertMessage({
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'ServiceDown', service: 'orders' },
          annotations: { summary: 'orders is down' },
          startsAt: '2025-01-01T10:00:00Z',
        },
        {
          status: 'firing',
          labels: { alertname: 'ServiceDown', service: 'billing' },
          annotations: {},
          startsAt: '2025-01-01T10:00:00Z',
        },
      ],
      groupLabels: { alertname: 'ServiceDown' },
      commonLabels: { alertname: 'ServiceDown' },
      externalURL: 'http://alertmanager:9093',
    });
    expect(message.text).toBe(
      '[FIRING:2] ServiceDown (billing, orders)\n• firing ServiceDown orders: orders is down\n• firing ServiceDown billing',
    );
    expect(message).toMatchObject({
      kind: 'alert',
      status: 'firing',
      alertNames: ['ServiceDown'],
      services: ['billing', 'orders'],
      link: 'http://alertmanager:9093',
    });
  });

  it('says RESOLVED without a count when the group resolved', () => {
    const message = alertMessage({
      status: 'resolved',
      alerts: [
        {
          status: 'resolved',
          labels: { alertname: 'HighDeadLetterRate' },
          annotations: {},
          startsAt: '2025-01-01T10:00:00Z',
          endsAt: '2025-01-01T10:05:00Z',
        },
      ],
      groupLabels: {},
      commonLabels: {},
    });
    expect(message.text).toBe('[RESOLVED] HighDeadLetterRate\n• resolved HighDeadLetterRate');
  });
});
