import { createEvent } from './create-event';
import { decodeEventData, publishedVersions } from './event-versions';
import { paymentRefundedV1ToV2 } from './upcasters';
import { validateEvent } from './validate-event';

const orderId = '6f1c1d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f';
const paymentId = '0b9d7a52-3f1e-4c8a-9d6b-2e7f1a0c5d34';
const amount = { amountCents: 2_500, currency: 'EUR' };
const refundedAt = '2026-11-24T10:00:01.000Z';

/** A PaymentRefunded as payments wrote it before version 2. */
function version1() {
  const v2 = createEvent(
    'PaymentRefunded',
    { orderId, paymentId, amount, refundedAt },
    { source: 'payments', correlationId: orderId },
  );
  return {
    ...v2,
    eventVersion: 1,
    timestamp: '2026-11-24T10:00:02.000Z',
    data: { orderId, paymentId, amount },
  };
}

describe('event versions', () => {
  it('lists the versions each event reads, oldest first', () => {
    expect(publishedVersions('PaymentRefunded').map((entry) => entry.version)).toEqual([1, 2]);
    expect(publishedVersions('OrderPlaced').map((entry) => entry.version)).toEqual([1]);
  });

  it('creates the current version', () => {
    const event = createEvent(
      'PaymentRefunded',
      { orderId, paymentId, amount, refundedAt },
      { source: 'payments', correlationId: orderId },
    );
    expect(event.eventVersion).toBe(2);
    expect(() =>
      createEvent('PaymentRefunded', { orderId, paymentId, amount } as never, {
        source: 'payments',
        correlationId: orderId,
      }),
    ).toThrow(/refundedAt/);
  });

  it('hands a version 2 message to handlers as it is', () => {
    const v2 = { ...version1(), eventVersion: 2, data: { orderId, paymentId, amount, refundedAt } };
    expect(validateEvent(v2)).toEqual({ outcome: 'valid', event: v2 });
  });

  it('upcasts a version 1 message to version 2 before handlers see it', () => {
    const v1 = version1();
    const result = validateEvent(v1);
    expect(result).toEqual({
      outcome: 'valid',
      event: {
        ...v1,
        eventVersion: 2,
        // v1 was written with the refund: its timestamp is the refund's time.
        data: { orderId, paymentId, amount, refundedAt: v1.timestamp },
      },
    });
  });

  it('validates a version 1 message against version 1, naming the field', () => {
    const result = validateEvent({ ...version1(), data: { orderId, paymentId } });
    expect(result).toMatchObject({ outcome: 'invalid', reason: 'invalid-payload' });
    expect(result.outcome === 'invalid' && result.detail).toMatch(/amount/);
  });

  it('refuses a version 2 message without the field version 2 requires', () => {
    const result = validateEvent({ ...version1(), eventVersion: 2 });
    expect(result).toMatchObject({ outcome: 'invalid', reason: 'invalid-payload' });
    expect(result.outcome === 'invalid' && result.detail).toMatch(/refundedAt/);
  });

  it('refuses a version it does not know, saying which it reads', () => {
    expect(validateEvent({ ...version1(), eventVersion: 3 })).toEqual({
      outcome: 'invalid',
      reason: 'unsupported-version',
      detail: 'PaymentRefunded version 3 is not supported (this code reads 1, 2)',
    });
  });

  it('still ignores unknown fields in an old version (tolerant reader)', () => {
    const v1 = version1();
    const result = decodeEventData('PaymentRefunded', { ...v1, data: { ...v1.data, note: 'x' } });
    expect(result).toEqual({
      outcome: 'decoded',
      data: { orderId, paymentId, amount, refundedAt: v1.timestamp },
    });
  });

  it('upcasts PaymentRefunded v1 with the envelope timestamp as refundedAt', () => {
    expect(
      paymentRefundedV1ToV2({ orderId, paymentId, amount }, { timestamp: refundedAt }),
    ).toEqual({ orderId, paymentId, amount, refundedAt });
  });
});
