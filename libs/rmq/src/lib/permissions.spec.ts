import { brokerPermissions, servicesWithBrokerUsers } from './permissions';
import { SHOP_SUBSCRIPTIONS } from './subscriptions';

/** Whether a RabbitMQ permission pattern lets `name` through. */
const allows = (pattern: string, name: string) => new RegExp(pattern).test(name);

describe('broker permissions', () => {
  const billing = brokerPermissions('billing', SHOP_SUBSCRIPTIONS);
  const ops = brokerPermissions('ops', SHOP_SUBSCRIPTIONS);
  const topic = (permissions: typeof billing, exchange: string) =>
    permissions.topics.find((each) => each.exchange === exchange)!;

  it('gives every consuming service and apps/ops a user', () => {
    expect(servicesWithBrokerUsers(SHOP_SUBSCRIPTIONS)).toEqual([
      'orders',
      'billing',
      'inventory',
      'payments',
      'ops',
    ]);
  });

  it('lets billing configure and read only its own queues and redirect exchange', () => {
    for (const own of ['billing.events', 'billing.dlq', 'billing.dlx', 'billing.retry.30000']) {
      expect(allows(billing.configure, own)).toBe(true);
      expect(allows(billing.read, own)).toBe(true);
    }
    for (const other of ['orders.events', 'billing.events2', 'xbilling.events', 'shop.events']) {
      expect(allows(billing.configure, other)).toBe(false);
    }
    expect(allows(billing.write, 'billing.dlx')).toBe(true);
    expect(allows(billing.write, 'billing.retry.1000')).toBe(true);
    expect(allows(billing.write, 'shop.events')).toBe(true);
    expect(allows(billing.write, 'orders.dlx')).toBe(false);
    expect(allows(billing.read, 'orders.events')).toBe(false);
    expect(allows(billing.read, 'ops.journal')).toBe(false);
    expect(allows(billing.read, 'payments.dlq')).toBe(false);
  });

  it('never lets a service write to the default exchange, which reaches every queue', () => {
    for (const service of servicesWithBrokerUsers(SHOP_SUBSCRIPTIONS)) {
      expect(allows(brokerPermissions(service, SHOP_SUBSCRIPTIONS).write, 'amq.default')).toBe(
        false,
      );
    }
  });

  it('lets billing publish only the events the catalog says it publishes', () => {
    const events = topic(billing, 'shop.events');
    expect(allows(events.write, 'payment.requested')).toBe(true);
    expect(allows(events.write, 'order.processed')).toBe(true);
    expect(allows(events.write, 'order.confirmed')).toBe(false);
    expect(allows(events.write, 'payment.captured')).toBe(false);
    expect(allows(events.write, 'order.processedX')).toBe(false);
  });

  it('lets billing bind its queue only to what it subscribes to', () => {
    const events = topic(billing, 'shop.events');
    expect(allows(events.read, 'order.placed')).toBe(true);
    expect(allows(events.read, 'payment.declined')).toBe(true);
    expect(allows(events.read, '#')).toBe(false);
    expect(allows(events.read, 'order.confirmed')).toBe(false);
  });

  it('lets a service speak on shop.monitoring only in its own name', () => {
    const monitoring = topic(billing, 'shop.monitoring');
    for (const key of [
      'heartbeat.billing',
      'ping.billing',
      'log.billing.warn',
      'replay.billing.handled',
    ]) {
      expect(allows(monitoring.write, key)).toBe(true);
    }
    for (const key of [
      'heartbeat.orders',
      'log.orders.error',
      'replay.payments.handled',
      'log.billing.',
    ]) {
      expect(allows(monitoring.write, key)).toBe(false);
    }
    expect(allows(monitoring.read, 'heartbeat.*')).toBe(false);
  });

  it('lets ops read every DLQ and its own queues, replay only through the redirect exchanges, and publish no event', () => {
    for (const queue of ['orders.dlq', 'payments.dlq', 'ops.journal', 'ops.heartbeats']) {
      expect(allows(ops.read, queue)).toBe(true);
    }
    expect(allows(ops.read, 'orders.events')).toBe(false);
    expect(allows(ops.configure, 'ops.journal')).toBe(true);
    expect(allows(ops.configure, 'billing.dlq')).toBe(false);
    expect(allows(ops.write, 'billing.dlx')).toBe(true);
    expect(allows(ops.write, 'shop.events')).toBe(false);
    expect(allows(topic(ops, 'shop.events').write, 'order.placed')).toBe(false);
    expect(allows(topic(ops, 'shop.events').read, '#')).toBe(true);
    expect(allows(topic(ops, 'shop.monitoring').read, 'replay.#')).toBe(true);
    expect(allows(topic(ops, 'shop.monitoring').read, 'heartbeat.*')).toBe(true);
  });
});
