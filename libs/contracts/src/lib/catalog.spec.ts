import { EVENT_TYPES, EventCatalog, isEventType, routingKeyOf } from './catalog';
import { publishedVersions } from './event-versions';

describe('event catalog', () => {
  it('lists the eleven events of the saga with their routing keys', () => {
    expect(Object.fromEntries(EVENT_TYPES.map((type) => [type, routingKeyOf(type)]))).toEqual({
      OrderPlaced: 'order.placed',
      StockReserved: 'stock.reserved',
      StockRejected: 'stock.rejected',
      PaymentRequested: 'payment.requested',
      PaymentCaptured: 'payment.captured',
      PaymentDeclined: 'payment.declined',
      OrderProcessed: 'order.processed',
      OrderConfirmed: 'order.confirmed',
      OrderCancelled: 'order.cancelled',
      StockReleased: 'stock.released',
      PaymentRefunded: 'payment.refunded',
    });
  });

  it('gives every routing key to exactly one event', () => {
    const keys = Object.values(EventCatalog).map((definition) => definition.routingKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('recognises only catalog event types', () => {
    expect(isEventType('OrderPlaced')).toBe(true);
    expect(isEventType('toString')).toBe(false);
  });

  it('names the service that publishes each event', () => {
    // The services of the shop; libs/rmq's subscriptions say who consumes.
    const services = ['orders', 'billing', 'inventory', 'payments'];
    for (const definition of Object.values(EventCatalog)) {
      expect(services).toContain(definition.source);
    }
  });

  it('keeps every version from 1 to the current one, with no gap for an upcaster to fall into', () => {
    for (const eventType of EVENT_TYPES) {
      const versions = publishedVersions(eventType).map((entry) => entry.version);
      expect([eventType, versions]).toEqual([
        eventType,
        Array.from({ length: EventCatalog[eventType].version }, (_, index) => index + 1),
      ]);
    }
  });
});
