import { createEvent } from './create-event';
import { validateEvent } from './validate-event';

const orderId = '6f1c1d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f';
const placed = {
  orderId,
  customerId: 'alice',
  items: [{ sku: 'SKU-0001', quantity: 2, unitPrice: { amountCents: 1250, currency: 'EUR' } }],
  total: { amountCents: 2500, currency: 'EUR' },
};

describe('createEvent', () => {
  it('starts a flow: a root event is caused by its correlationId', () => {
    const correlationId = 'a8b0c2f4-1d3e-4f50-8a6b-7c8d9e0f1a2b';
    const event = createEvent('OrderPlaced', placed, { source: 'orders', correlationId });

    expect(event.eventType).toBe('OrderPlaced');
    expect(event.eventVersion).toBe(1);
    expect(event.source).toBe('orders');
    expect(event.metadata).toEqual({ correlationId, causationId: correlationId });
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the correlation over and points its causation at the event being handled', () => {
    const cause = createEvent('OrderPlaced', placed, {
      source: 'orders',
      correlationId: 'a8b0c2f4-1d3e-4f50-8a6b-7c8d9e0f1a2b',
    });
    const effect = createEvent(
      'OrderProcessed',
      { orderId, invoiceId: null, status: 'CANCELED_FRAUD' },
      { source: 'billing', causedBy: cause },
    );

    expect(effect.metadata.correlationId).toBe(cause.metadata.correlationId);
    expect(effect.metadata.causationId).toBe(cause.eventId);
    expect(effect.eventId).not.toBe(cause.eventId);
  });

  it('refuses data that breaks the schema, so a bad event is never written', () => {
    const bad = { ...placed, total: { amountCents: 12.5, currency: 'EUR' } };
    expect(() =>
      createEvent('OrderPlaced', bad, { source: 'orders', correlationId: orderId }),
    ).toThrow(/amountCents/);
  });

  it('produces events that validate', () => {
    const event = createEvent('OrderPlaced', placed, { source: 'orders', correlationId: orderId });
    expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual({ outcome: 'valid', event });
  });
});
