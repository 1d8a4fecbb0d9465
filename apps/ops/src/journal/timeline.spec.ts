import { buildTimeline, causalOrder, JournalEvent } from './timeline';

const subscriptions = {
  orders: ['StockReserved', 'OrderProcessed'],
  billing: ['OrderPlaced'],
  inventory: ['OrderPlaced', 'OrderConfirmed'],
} as const;

function event(
  eventId: string,
  eventType: string,
  source: string,
  causationId: string,
  timestamp: string,
): JournalEvent {
  return {
    eventId,
    eventType,
    source,
    routingKey: eventType.toLowerCase(),
    timestamp,
    receivedAt: timestamp,
    correlationId: 'c',
    causationId,
    orderId: 'o',
    data: {},
    invalidReason: null,
  };
}

const placed = event('e1', 'OrderPlaced', 'orders', 'c', '2025-01-01T00:00:01.000Z');
const processed = event('e2', 'OrderProcessed', 'billing', 'e1', '2025-01-01T00:00:02.000Z');
// Clock skew: inventory's clock is behind, yet its event was caused by OrderPlaced.
const reserved = event('e3', 'StockReserved', 'inventory', 'e1', '2025-01-01T00:00:00.500Z');

describe('the saga timeline', () => {
  it('puts every cause before its effects, even when clocks disagree', () => {
    expect(causalOrder([processed, reserved, placed]).map((each) => each.eventId)).toEqual([
      'e1',
      'e3',
      'e2',
    ]);
  });

  it('says which subscriber handled an event, by the events it caused, and which has not yet', () => {
    const [first] = buildTimeline([placed, processed], [], subscriptions);
    expect(first.consumers).toEqual([
      expect.objectContaining({ service: 'billing', outcome: 'handled' }),
      expect.objectContaining({
        service: 'inventory',
        outcome: 'pending',
        evidence: expect.stringContaining('no event from inventory'),
      }),
    ]);
  });

  it('marks a consumer dead-lettered with its dead letter, shown inline after the event', () => {
    const deadLetter = {
      id: 'd1',
      service: 'inventory',
      status: 'unresolved',
      reason: 'retries-exhausted',
      eventId: 'e1',
      errorMessage: 'boom',
      deadLetteredAt: '2025-01-01T00:00:05.000Z',
    };
    const items = buildTimeline([placed, processed], [deadLetter], subscriptions);
    expect(items[0].consumers).toContainEqual(
      expect.objectContaining({
        service: 'inventory',
        outcome: 'dead-lettered',
        deadLetterId: 'd1',
      }),
    );
    expect(items[1]).toMatchObject({
      eventId: 'e1',
      deadLetter: { id: 'd1', service: 'inventory', reason: 'retries-exhausted' },
    });
    expect(items[2].eventId).toBe('e2');
  });
});
