import type { ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import {
  deadLetterHeaders,
  replayHeaders,
  republishProperties,
  retryHeaders,
} from './failure-headers';

function delivery(
  headers: Record<string, unknown> = {},
  fields: Partial<ConsumeMessage['fields']> = {},
): ConsumeMessage {
  return {
    content: Buffer.from('{}'),
    fields: {
      deliveryTag: 1,
      redelivered: false,
      exchange: 'shop.events',
      routingKey: 'order.placed',
      consumerTag: 't',
      ...fields,
    },
    properties: {
      messageId: 'm-1',
      type: 'OrderPlaced',
      correlationId: 'c-1',
      contentType: 'application/json',
      contentEncoding: undefined,
      headers,
      deliveryMode: 2,
      priority: undefined,
      replyTo: undefined,
      expiration: '60000',
      timestamp: 1_700_000_000,
      userId: 'guest',
      appId: 'orders',
      clusterId: undefined,
    },
  } as ConsumeMessage;
}

const at = new Date('2026-11-24T10:00:00.000Z');
const error = {
  message: 'database unavailable',
  stack: 'Error: database unavailable\n    at a\n    at b',
};

describe('failure headers', () => {
  it('starts the story on the first failure', () => {
    expect(
      retryHeaders(delivery({ 'x-event-version': 1 }), {
        service: 'billing',
        attempts: 1,
        error,
        at,
      }),
    ).toEqual({
      'x-event-version': 1,
      'x-attempts': 1,
      'x-service': 'billing',
      'x-original-exchange': 'shop.events',
      'x-original-routing-key': 'order.placed',
      'x-first-failure-at': '2026-11-24T10:00:00.000Z',
      'x-last-failure-at': '2026-11-24T10:00:00.000Z',
      'x-error-message': 'database unavailable',
    });
  });

  it('keeps where it started when the message comes back from a delay queue', () => {
    const returning = delivery(
      {
        'x-attempts': 1,
        'x-original-exchange': 'shop.events',
        'x-original-routing-key': 'order.placed',
        'x-first-failure-at': '2026-11-24T09:59:59.000Z',
        'x-death': [{ queue: 'billing.retry.1000' }],
      },
      { exchange: '', routingKey: 'billing.events' },
    );
    const headers = retryHeaders(returning, { service: 'billing', attempts: 2, error, at });

    expect(headers).toMatchObject({
      'x-attempts': 2,
      'x-original-exchange': 'shop.events',
      'x-original-routing-key': 'order.placed',
      'x-first-failure-at': '2026-11-24T09:59:59.000Z',
      'x-last-failure-at': '2026-11-24T10:00:00.000Z',
    });
    expect(headers).not.toHaveProperty('x-death');
  });

  it('tells the whole story on a dead letter, stack included', () => {
    const headers = deadLetterHeaders(delivery(), {
      service: 'billing',
      attempts: 5,
      error,
      at,
      reason: 'retries-exhausted',
    });
    expect(headers).toMatchObject({
      'x-dead-letter-reason': 'retries-exhausted',
      'x-dead-lettered-at': '2026-11-24T10:00:00.000Z',
      'x-attempts': 5,
      'x-error-stack': error.stack,
    });
  });

  it('trims huge error messages', () => {
    const headers = retryHeaders(delivery(), {
      service: 'billing',
      attempts: 1,
      error: { message: 'x'.repeat(5000) },
      at,
    });
    expect(String(headers['x-error-message']).length).toBeLessThan(1100);
  });

  it('republishes with the original identity but without expiration or user id', () => {
    const properties = republishProperties(delivery(), { 'x-attempts': 1 });
    expect(properties).toEqual({
      messageId: 'm-1',
      type: 'OrderPlaced',
      correlationId: 'c-1',
      contentType: 'application/json',
      timestamp: 1_700_000_000,
      appId: 'orders',
      headers: { 'x-attempts': 1 },
    });
  });
});

describe('replayHeaders', () => {
  const deadLettered: MessagePropertyHeaders = {
    'x-event-version': 1,
    'x-causation-id': 'cause-1',
    traceparent: '00-abc-def-01',
    'x-attempts': 4,
    'x-first-failure-at': '2024-01-01T00:00:00.000Z',
    'x-last-failure-at': '2024-01-01T00:00:05.000Z',
    'x-original-exchange': 'shop.events',
    'x-original-routing-key': 'order.placed',
    'x-error-message': 'boom',
    'x-error-stack': 'Error: boom',
    'x-service': 'billing',
    'x-dead-letter-reason': 'retries-exhausted',
    'x-dead-lettered-at': '2024-01-01T00:00:05.000Z',
    'x-first-death-queue': 'billing.events',
    'x-replay-id': 'an-older-replay',
  };

  it('drops the failure story and the attempt count, keeps the envelope headers, marks the replay', () => {
    expect(
      replayHeaders(deadLettered, { replayId: 'replay-2', originalCorrelationId: 'corr-1' }),
    ).toEqual({
      'x-event-version': 1,
      'x-causation-id': 'cause-1',
      traceparent: '00-abc-def-01',
      'x-replay-id': 'replay-2',
      'x-original-correlation-id': 'corr-1',
    });
  });

  it('links an edited retry to the event it replaces', () => {
    expect(
      replayHeaders({}, { replayId: 'replay-3', editedFrom: 'event-1' })['x-edited-from'],
    ).toBe('event-1');
  });
});
