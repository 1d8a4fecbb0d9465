import { DomainEvent } from '@shop/contracts';
import { FAST_RETRY_ENV, publishEvent, TestSystem, waitFor } from '@shop/testing';
import { ShopClient } from './support/shop-client';

/**
 * The whole choreographed saga over HTTP and a real broker: orders, billing, inventory and
 * payments as separate processes, each with its own database.
 */
describe('order saga', () => {
  let system: TestSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await TestSystem.start('saga', {
      services: ['orders', 'billing', 'inventory', 'payments'],
      env: FAST_RETRY_ENV,
    });
    shop = new ShopClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('confirms an order: stock reserved, invoice paid, payment captured for the total', async () => {
    const stockBefore = await shop.stock('SKU-0002');

    const placed = await shop.placeOrder('alice', [{ sku: 'SKU-0002', quantity: 3 }]);
    const order = await shop.waitForStatus(placed.orderId, 'CONFIRMED');

    expect(order.total).toEqual({ amountCents: 3 * 2499, currency: 'EUR' });
    expect(order.history.map((step) => step.step)).toEqual(
      expect.arrayContaining(['OrderPlaced', 'StockReserved', 'OrderProcessed', 'OrderConfirmed']),
    );
    expect(await shop.stock('SKU-0002')).toBe(stockBefore - 3);
    const invoices = await shop.invoices(placed.orderId);
    expect(invoices).toEqual([expect.objectContaining({ status: 'PAID', amount: order.total })]);
    expect(invoices[0].orderPlacedEventId).toBe(order.history[0].eventId);
    expect(await shop.payments(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'CAPTURED', amount: order.total }),
    ]);
  });

  it('a redelivered OrderPlaced (same eventId, twice more) creates one invoice and reserves once', async () => {
    const placed = await shop.placeOrder('carol', [{ sku: 'SKU-0001', quantity: 1 }]);
    await shop.waitForStatus(placed.orderId, 'CONFIRMED');
    const stockAfterOrder = await shop.stock('SKU-0001');
    const [{ envelope }] = await system.db('orders').query<{
      envelope: DomainEvent;
    }>(`SELECT envelope FROM outbox WHERE event_type = 'OrderPlaced' AND envelope->'data'->>'orderId' = $1`, [placed.orderId]);
    const duplicates = () =>
      Promise.all(
        (['billing', 'inventory'] as const).map((service) =>
          system
            .service(service)
            .metric('shop_messages_duplicate_total', { event_type: 'OrderPlaced' }),
        ),
      );
    const [billingBefore, inventoryBefore] = await duplicates();

    await publishEvent(system.broker.url, envelope, 2);

    await waitFor(
      duplicates,
      ([billing, inventory]) => billing === billingBefore + 2 && inventory === inventoryBefore + 2,
      {
        description: 'billing and inventory to skip both redeliveries',
      },
    );
    expect(await shop.invoices(placed.orderId)).toHaveLength(1);
    expect(await shop.payments(placed.orderId)).toHaveLength(1);
    expect(await shop.stock('SKU-0001')).toBe(stockAfterOrder);
    const order = await shop.order(placed.orderId);
    expect(order.history.filter((step) => step.step === 'OrderProcessed')).toHaveLength(1);
  });

  it('counts placed, confirmed and cancelled orders (by reason) for the dashboard', async () => {
    const counts = async () => ({
      placed: await system.metric('orders', 'shop_orders_placed_total'),
      confirmed: await system.metric('orders', 'shop_orders_confirmed_total'),
      fraud: await system.metric('orders', 'shop_orders_cancelled_total', { reason: 'FRAUD' }),
      timeout: await system.metric('orders', 'shop_orders_cancelled_total', { reason: 'TIMEOUT' }),
    });
    const before = await counts();

    const good = await shop.placeOrder('grace', [{ sku: 'SKU-0001', quantity: 1 }]);
    const bad = await shop.placeOrder('fraud-frank', [{ sku: 'SKU-0001', quantity: 1 }]);
    await shop.waitForStatus(good.orderId, 'CONFIRMED');
    await shop.waitForStatus(bad.orderId, 'CANCELLED');

    expect(await counts()).toEqual({
      placed: before.placed + 2,
      confirmed: before.confirmed + 1,
      fraud: before.fraud + 1,
      timeout: before.timeout,
    });
    expect(await system.service('orders').get<string>('/metrics')).toMatchObject({
      body: expect.stringContaining(
        'shop_orders_cancelled_total{reason="TIMEOUT",service="orders"} 0',
      ),
    });
  });

  it('cancels a fraudulent order: never charged, and its reserved stock is released', async () => {
    const stockBefore = await shop.stock('SKU-0003');

    const placed = await shop.placeOrder('fraud-mallory', [{ sku: 'SKU-0003', quantity: 2 }]);
    const cancelled = await shop.waitForStatus(placed.orderId, 'CANCELLED');
    expect(cancelled.reason).toBe('FRAUD');

    await shop.waitForStep(placed.orderId, 'StockReleased');
    expect(await shop.stock('SKU-0003')).toBe(stockBefore);
    expect(await shop.invoices(placed.orderId)).toEqual([]);
    expect(await shop.payments(placed.orderId)).toEqual([]);
  });

  it('cancels an order whose payment is declined, and releases its stock', async () => {
    const stockBefore = await shop.stock('SKU-0004');

    const placed = await shop.placeOrder('declined-dan', [{ sku: 'SKU-0004', quantity: 1 }]);
    expect((await shop.waitForStatus(placed.orderId, 'CANCELLED')).reason).toBe('PAYMENT_DECLINED');

    await shop.waitForStep(placed.orderId, 'StockReleased');
    expect(await shop.stock('SKU-0004')).toBe(stockBefore);
    expect(await shop.invoices(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'PAYMENT_DECLINED' }),
    ]);
    expect(await shop.payments(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'DECLINED' }),
    ]);
  });

  it('cancels an order that is out of stock, reserves nothing, and leaves no money taken', async () => {
    const soldOutBefore = await shop.stock('SKU-SOLDOUT');
    const otherBefore = await shop.stock('SKU-0001');

    const placed = await shop.placeOrder('erin', [
      { sku: 'SKU-0001', quantity: 1 },
      { sku: 'SKU-SOLDOUT', quantity: 1 },
    ]);
    expect((await shop.waitForStatus(placed.orderId, 'CANCELLED')).reason).toBe('OUT_OF_STOCK');

    // Billing and payments ran in parallel with inventory: the payment is either refunded
    // after its capture, or declined because the cancellation reached payments first.
    const [invoice] = await waitFor(
      () => shop.invoices(placed.orderId),
      (invoices) => invoices.length === 1 && invoices[0].status !== 'ISSUED',
      { description: 'billing to settle the invoice' },
    );
    const [payment] = await waitFor(
      () => shop.payments(placed.orderId),
      (payments) => payments.length === 1 && payments[0].status !== 'CAPTURED',
      { description: 'the payment to be refunded or declined' },
    );
    if (payment.status === 'REFUNDED') {
      expect(invoice.status).toBe('PAID');
      await shop.waitForStep(placed.orderId, 'PaymentRefunded');
    } else {
      expect(payment.status).toBe('DECLINED');
      expect(invoice.status).toBe('PAYMENT_DECLINED');
    }
    expect(await shop.stock('SKU-SOLDOUT')).toBe(soldOutBefore);
    expect(await shop.stock('SKU-0001')).toBe(otherBefore);
  });

  it.each([
    ['inventory before billing', 'billing'],
    ['billing before inventory', 'inventory'],
  ] as const)('reaches the same final state when %s reports', async (_case, lateService) => {
    // Holding one service back makes the other's outcome reach orders first, deterministically.
    await system.service(lateService).stop();

    const placed = await shop.placeOrder('frank', [{ sku: 'SKU-0005', quantity: 1 }]);
    const early = lateService === 'billing' ? 'StockReserved' : 'OrderProcessed';
    const waiting = await shop.waitForStep(placed.orderId, early);
    expect(waiting.status).toBe('PENDING');

    await system.startInstance(lateService);
    const order = await shop.waitForStatus(placed.orderId, 'CONFIRMED');

    const steps = order.history.map((step) => step.step);
    expect(steps.indexOf(early)).toBeLessThan(
      steps.indexOf(early === 'StockReserved' ? 'OrderProcessed' : 'StockReserved'),
    );
    expect(await shop.payments(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'CAPTURED' }),
    ]);
    expect(await shop.invoices(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'PAID' }),
    ]);
  });
});
