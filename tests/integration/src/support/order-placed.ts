import { createEvent, DomainEvent } from '@shop/contracts';
import { randomUUID } from 'node:crypto';

/** A valid OrderPlaced event for a fresh order. */
export function anOrderPlaced(customerId = 'alice'): DomainEvent<'OrderPlaced'> {
  return createEvent(
    'OrderPlaced',
    {
      orderId: randomUUID(),
      customerId,
      items: [{ sku: 'SKU-0001', quantity: 1, unitPrice: { amountCents: 1299, currency: 'EUR' } }],
      total: { amountCents: 1299, currency: 'EUR' },
    },
    { source: 'orders', correlationId: randomUUID() },
  );
}
