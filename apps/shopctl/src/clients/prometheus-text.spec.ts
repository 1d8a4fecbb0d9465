import { seriesTotal } from './prometheus-text';

const TEXT = `# HELP shop_messages_retried_total retries
# TYPE shop_messages_retried_total counter
shop_messages_retried_total{service="payments",event_type="PaymentRequested"} 2
shop_messages_retried_total{service="payments",event_type="OrderCancelled"} 1
shop_messages_retried_total_other 7
process_start_time_seconds 1764670000
`;

describe('seriesTotal', () => {
  it('sums the series whose labels match, and only that metric', () => {
    expect(seriesTotal(TEXT, 'shop_messages_retried_total')).toBe(3);
    expect(
      seriesTotal(TEXT, 'shop_messages_retried_total', { event_type: 'PaymentRequested' }),
    ).toBe(2);
    expect(seriesTotal(TEXT, 'process_start_time_seconds')).toBe(1764670000);
    expect(seriesTotal(TEXT, 'shop_messages_duplicate_total')).toBe(0);
  });
});
