import { register } from 'prom-client';
import { eventTypeLabel, initialiseMessageMetrics } from './rmq.metrics';

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

describe('initialised series', () => {
  it('exist at zero for every handled event type before any message arrives', async () => {
    initialiseMessageMetrics(['OrderPlaced', 'PaymentCaptured'], [200, 400, 400]);
    const text = await register.metrics();
    for (const eventType of ['OrderPlaced', 'PaymentCaptured']) {
      expect(text).toContain(`shop_messages_consumed_total{event_type="${eventType}"} 0`);
      expect(text).toContain(`shop_messages_failed_total{event_type="${eventType}"} 0`);
      expect(text).toContain(`shop_messages_succeeded_total{event_type="${eventType}"} 0`);
      expect(text).toContain(
        `shop_messages_retried_total{event_type="${eventType}",delay_ms="400"} 0`,
      );
    }
    expect(text).toContain('shop_messages_consumed_total{event_type="unknown"} 0');
    expect(text).not.toContain('event_type="OrderCancelled"');
  });
});
