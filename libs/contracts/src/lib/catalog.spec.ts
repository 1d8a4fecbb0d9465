import { EVENT_TYPES, EventCatalog, isEventType, routingKeyOf } from './catalog';

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
});
