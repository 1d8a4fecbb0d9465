import { eventTypeLabel } from './rmq.metrics';

describe('metric labels', () => {
  it('keep an event type from the catalog', () => {
    expect(eventTypeLabel('OrderPlaced')).toBe('OrderPlaced');
  });

  it('turn anything else into "unknown", so a poison message cannot add a series', () => {
    expect(eventTypeLabel('OrderTeleported')).toBe('unknown');
    expect(eventTypeLabel('orderplaced')).toBe('unknown');
    expect(eventTypeLabel('constructor')).toBe('unknown');
    expect(eventTypeLabel(undefined)).toBe('unknown');
  });
});
