import type { ConsumeMessage } from 'amqplib';
import { readDeadLetter } from './dead-letter-message';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const EVENT_ID = '11111111-1111-4111-8111-111111111111';
const CORRELATION_ID = '22222222-2222-4222-8222-222222222222';
const ORDER_ID = '33333333-3333-4333-8333-333333333333';

function message(
  content: Buffer,
  properties: Partial<ConsumeMessage['properties']>,
): ConsumeMessage {
  return {
    content,
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'billing.dlq' },
    properties: { headers: {}, ...properties },
  } as unknown as ConsumeMessage;
}

describe('readDeadLetter', () => {
  it('reads the failure story libs/rmq wrote and the ids of the envelope', () => {
    const envelope = {
      eventId: EVENT_ID,
      eventType: 'OrderPlaced',
      metadata: { correlationId: CORRELATION_ID, causationId: CORRELATION_ID },
      data: { orderId: ORDER_ID },
    };
    const read = readDeadLetter(
      'billing',
      'billing.dlq',
      message(Buffer.from(JSON.stringify(envelope)), {
        messageId: EVENT_ID,
        type: 'OrderPlaced',
        headers: {
          'x-attempts': 4,
          'x-dead-letter-reason': 'retries-exhausted',
          'x-error-message': Buffer.from('boom'),
          'x-error-stack': 'Error: boom\n    at x',
          'x-first-failure-at': '2024-05-01T11:59:00.000Z',
          'x-last-failure-at': '2024-05-01T11:59:30.000Z',
          'x-dead-lettered-at': '2024-05-01T11:59:31.000Z',
          'x-replay-id': '44444444-4444-4444-8444-444444444444',
        },
      }),
      NOW,
    );
    expect(read).toMatchObject({
      identity: EVENT_ID,
      eventId: EVENT_ID,
      eventType: 'OrderPlaced',
      correlationId: CORRELATION_ID,
      causationId: CORRELATION_ID,
      orderId: ORDER_ID,
      reason: 'retries-exhausted',
      errorMessage: 'boom',
      errorStack: 'Error: boom\n    at x',
      attempts: 4,
      firstFailureAt: new Date('2024-05-01T11:59:00.000Z'),
      lastFailureAt: new Date('2024-05-01T11:59:30.000Z'),
      deadLetteredAt: new Date('2024-05-01T11:59:31.000Z'),
      replayId: '44444444-4444-4444-8444-444444444444',
      deliveryKey: 'billing.dlq@2024-05-01T11:59:31.000Z',
      payloadJson: envelope,
    });
    expect(read.headers['x-error-message']).toBe('boom');
  });

  it('keeps bytes that are not even JSON, identified by the AMQP messageId', () => {
    const bytes = Buffer.from([0x7b, 0x00, 0xff, 0x61]);
    const read = readDeadLetter(
      'inventory',
      'inventory.dlq',
      message(bytes, { messageId: 'm-1' }),
      NOW,
    );
    expect(read).toMatchObject({
      identity: 'm-1',
      eventId: null,
      eventType: null,
      payloadJson: null,
      reason: 'unknown',
      attempts: 0,
      deadLetteredAt: NOW,
      deliveryKey: null,
    });
    expect(read.payload.equals(bytes)).toBe(true);
    expect(read.payloadText).not.toContain('\u0000');
  });

  it('identifies bytes without a messageId by a hash of the service and the bytes', () => {
    const bytes = Buffer.from('not json');
    const inBilling = readDeadLetter('billing', 'billing.dlq', message(bytes, {}), NOW);
    const again = readDeadLetter('billing', 'billing.dlq', message(bytes, {}), NOW);
    const inInventory = readDeadLetter('inventory', 'inventory.dlq', message(bytes, {}), NOW);
    expect(inBilling.identity).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.identity).toBe(inBilling.identity);
    expect(inInventory.identity).not.toBe(inBilling.identity);
  });

  it('explains a message RabbitMQ dead-lettered by itself, from its x-death record', () => {
    const read = readDeadLetter(
      'billing',
      'billing.dlq',
      message(Buffer.from('{}'), {
        headers: {
          'x-death': [
            {
              reason: 'rejected',
              queue: 'billing.events',
              count: 1,
              exchange: 'shop.events',
              'routing-keys': ['order.placed'],
              time: { '!': 'timestamp', value: 1714564800 },
            },
          ],
        },
      }),
      NOW,
    );
    expect(read.reason).toBe('rejected');
    expect(read.errorMessage).toBe('dead-lettered by RabbitMQ (rejected) from billing.events');
    expect(read.deliveryKey).toBe('billing.dlq@x-death:1714564800:1');
  });
});
