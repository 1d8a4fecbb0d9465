import { createEvent, DomainEvent, routingKeyOf } from '@shop/contracts';
import { eventMessageProperties, EVENTS_EXCHANGE } from '@shop/rmq';
import { publishEvent, publishRaw, TestSystem, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { ShopClient } from './support/shop-client';

/**
 * Contracts evolve without breaking consumers (docs/architecture.md, "Contract evolution"):
 * a consumer ignores fields it does not know, reads every published version of an event (the
 * older ones upcast to the current one), and refuses only versions it has never heard of.
 */
describe('contract evolution, against the real services', () => {
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await TestSystem.start('evolution', { services: ['orders', 'billing'] });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  /** Publishes an event's JSON as given, with the AMQP properties the services would set. */
  async function publishJson(event: DomainEvent, json: unknown): Promise<void> {
    await publishRaw(
      system.broker.url,
      EVENTS_EXCHANGE,
      routingKeyOf(event.eventType),
      Buffer.from(JSON.stringify(json)),
      eventMessageProperties(event),
    );
  }

  it('billing invoices an OrderPlaced that carries fields it does not know (tolerant reader)', async () => {
    const placed = createEvent(
      'OrderPlaced',
      {
        orderId: randomUUID(),
        customerId: 'tolerant-tina',
        items: [
          { sku: 'SKU-0001', quantity: 2, unitPrice: { amountCents: 1_250, currency: 'EUR' } },
        ],
        total: { amountCents: 2_500, currency: 'EUR' },
      },
      { source: 'orders', correlationId: randomUUID() },
    );
    // As a newer orders might send it: an extra payload field, an extra line field, an extra envelope field.
    await publishJson(placed, {
      ...placed,
      channel: 'web',
      data: {
        ...placed.data,
        giftWrap: true,
        items: placed.data.items.map((item) => ({ ...item, colour: 'red' })),
      },
    });

    const invoices = await waitFor(
      () => shop.invoices(placed.data.orderId),
      (found) => found.length === 1,
      { description: 'billing to invoice the order' },
    );
    expect(invoices[0]).toMatchObject({
      orderId: placed.data.orderId,
      orderPlacedEventId: placed.eventId,
      amount: { amountCents: 2_500, currency: 'EUR' },
    });
    expect(
      await system.metric('billing', 'shop_messages_dead_lettered_total', {
        event_type: 'OrderPlaced',
      }),
    ).toBe(0);
  });

  it('orders handles PaymentRefunded v1 (upcast) and v2 alike, and parks a version it does not know', async () => {
    const order = await shop.placeOrder('evolving-eve', [{ sku: 'SKU-0001', quantity: 1 }]);
    const paymentId = randomUUID();
    const v2 = createEvent(
      'PaymentRefunded',
      {
        orderId: order.orderId,
        paymentId,
        amount: order.total,
        refundedAt: new Date().toISOString(),
      },
      { source: 'payments', correlationId: randomUUID() },
    );
    // What a payments instance not yet redeployed sends during a rolling deploy.
    const v1 = {
      ...createEvent('PaymentRefunded', v2.data, {
        source: 'payments',
        correlationId: randomUUID(),
      }),
      eventVersion: 1,
      data: { orderId: order.orderId, paymentId, amount: order.total },
    };
    await publishEvent(system.broker.url, v1 as DomainEvent);
    await publishEvent(system.broker.url, v2);

    const refunds = await waitFor(
      async () =>
        (await shop.order(order.orderId)).history.filter((s) => s.step === 'PaymentRefunded'),
      (steps) => steps.length === 2,
      { description: 'both refunds in the order history' },
    );
    expect(refunds.map((step) => step.eventId).sort()).toEqual([v1.eventId, v2.eventId].sort());
    const detail = `refunded ${order.total.amountCents} ${order.total.currency}`;
    expect(refunds.map((step) => step.detail)).toEqual([detail, detail]);

    // A version from the future (a producer deployed before its consumers): poison, not guessed at.
    const v3 = { ...v2, eventId: randomUUID(), eventVersion: 3 };
    await publishEvent(system.broker.url, v3 as DomainEvent);
    await waitFor(
      () =>
        // A poison message is labelled `unknown`: metrics trust only what was validated.
        system.metric('orders', 'shop_messages_dead_lettered_total', {
          reason: 'unsupported-version',
        }),
      (count) => count === 1,
      { description: 'the v3 PaymentRefunded to be dead-lettered as unsupported-version' },
    );
    expect(
      (await shop.order(order.orderId)).history.filter((s) => s.step === 'PaymentRefunded'),
    ).toHaveLength(2);
  });
});
