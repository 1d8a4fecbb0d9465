import { PrometheusServer, TestSystem, waitFor } from '@shop/testing';
import { join } from 'node:path';

const ALERT_RULES = join(__dirname, '..', '..', '..', 'monitoring', 'alerts.yml');

/** The shipped alert rules, loaded by a real Prometheus scraping a real service. */
describe('Prometheus with the shop alert rules', () => {
  let system: TestSystem;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    system = await TestSystem.start('prom', { services: ['billing'] });
    prometheus = await PrometheusServer.start({
      targets: [
        {
          job: 'shop-services',
          address: `127.0.0.1:${system.service('billing').port}`,
          labels: { service: 'billing' },
        },
      ],
      ruleFiles: [ALERT_RULES],
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await system?.stop();
  });

  it('scrapes the service and evaluates every rule without error', async () => {
    await waitFor(
      () => prometheus.query('up{job="shop-services",service="billing"}'),
      (rows) => rows.length === 1 && rows[0].value === 1,
      { timeoutMs: 20_000, description: 'billing to be scraped' },
    );
    // Every series billing will count exists from start-up, at zero: NoMessagesProcessed has
    // something to look at even for a service that never received anything.
    const consumed = await prometheus.query('shop_messages_consumed_total{service="billing"}');
    expect(consumed.map((row) => [row.labels['event_type'], row.value]).sort()).toEqual([
      ['OrderPlaced', 0],
      ['PaymentCaptured', 0],
      ['PaymentDeclined', 0],
      ['unknown', 0],
    ]);
    const duplicates = await prometheus.query('shop_messages_duplicate_total{service="billing"}');
    expect(duplicates).toHaveLength(3);
    const backlog = await prometheus.query('shop_outbox_backlog{service="billing"}');
    expect(backlog).toEqual([expect.objectContaining({ value: 0 })]);

    const rules = await waitFor(
      () => prometheus.rules(),
      (loaded) => loaded.length === 5 && loaded.every((rule) => rule.health === 'ok'),
      { timeoutMs: 20_000, description: 'every rule to be evaluated' },
    );
    expect(rules.map((rule) => rule.name).sort()).toEqual([
      'ConsumerErrorRateHigh',
      'DeadLetterQueueNotEmpty',
      'NoMessagesProcessed',
      'OutboxStuck',
      'ServiceDown',
    ]);
    expect(await prometheus.alerts()).toEqual([]);
  });

  it('ServiceDown becomes active for billing once it stops answering', async () => {
    await system.service('billing').kill();
    const alerts = await waitFor(
      () => prometheus.alerts(),
      (active) => active.some((alert) => alert.labels['alertname'] === 'ServiceDown'),
      { timeoutMs: 30_000, description: 'ServiceDown to become pending' },
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({ alertname: 'ServiceDown', service: 'billing' }),
        // Pending: the rule matched, and waits out its `for:` before firing.
        state: 'pending',
      }),
    ]);
  });
});
