import { createEvent } from './create-event';
import { validateEvent } from './validate-event';

const orderId = '6f1c1d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f';
const valid = createEvent(
  'OrderCancelled',
  { orderId, reason: 'OUT_OF_STOCK' },
  { source: 'orders', correlationId: orderId },
);

function invalidReason(message: unknown): string | undefined {
  const result = validateEvent(message);
  return result.outcome === 'invalid' ? result.reason : undefined;
}

describe('validateEvent', () => {
  it('accepts a valid event and keeps its payload', () => {
    const result = validateEvent(valid);
    expect(result.outcome).toBe('valid');
    expect(result.outcome === 'valid' && result.event.data).toEqual({
      orderId,
      reason: 'OUT_OF_STOCK',
    });
  });

  it('rejects something that is not an envelope', () => {
    expect(invalidReason('hello')).toBe('invalid-envelope');
    expect(invalidReason({ ...valid, eventId: 'not-a-uuid' })).toBe('invalid-envelope');
    expect(invalidReason({ ...valid, metadata: undefined })).toBe('invalid-envelope');
  });

  it('rejects an eventType that is not in the catalog', () => {
    expect(invalidReason({ ...valid, eventType: 'OrderTeleported' })).toBe('unknown-event-type');
  });

  it('rejects a version this code does not understand', () => {
    expect(invalidReason({ ...valid, eventVersion: 2 })).toBe('unsupported-version');
  });

  it('rejects a payload that breaks its schema, naming the field', () => {
    const result = validateEvent({ ...valid, data: { orderId, reason: 'BORED' } });
    expect(result).toMatchObject({ outcome: 'invalid', reason: 'invalid-payload' });
    expect(result.outcome === 'invalid' && result.detail).toMatch(/reason/);
  });

  it('ignores unknown payload fields (tolerant reader) instead of failing', () => {
    const result = validateEvent({ ...valid, data: { ...valid.data, note: 'extra' } });
    expect(result.outcome).toBe('valid');
  });
});

describe('payload bounds', () => {
  const placeOrder = (items: Array<{ sku: string; quantity: number }>) =>
    createEvent(
      'OrderPlaced',
      {
        orderId,
        customerId: 'alice',
        items: items.map((item) => ({ ...item, unitPrice: { amountCents: 100, currency: 'EUR' } })),
        total: { amountCents: 100, currency: 'EUR' },
      },
      { source: 'orders', correlationId: orderId },
    );

  it('refuses an order naming the same sku twice', () => {
    expect(() =>
      placeOrder([
        { sku: 'SKU-0001', quantity: 1 },
        { sku: 'SKU-0001', quantity: 2 },
      ]),
    ).toThrow(/each sku may appear once/);
  });

  it('refuses quantities beyond what the services store', () => {
    expect(() => placeOrder([{ sku: 'SKU-0001', quantity: 5_000_000_000 }])).toThrow(/quantity/);
  });
});
