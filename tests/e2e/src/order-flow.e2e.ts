import { DomainEvent } from '@shop/contracts';
import { FAST_RETRY_ENV, publishEvent, TestSystem, waitFor } from '@shop/testing';

interface Order {
  orderId: string;
  status: string;
  reason?: string;
  total: { amountCents: number; currency: string };
  history: Array<{ step: string; status: string; eventId: string; detail?: string }>;
}
interface Invoice {
  invoiceId: string;
  orderId: string;
  orderPlacedEventId: string;
  amount: { amountCents: number };
}

describe('order flow: orders → OrderPlaced → billing → OrderProcessed → orders', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('flow', {
      services: ['orders', 'billing'],
      env: FAST_RETRY_ENV,
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const orders = () => system.service('orders');
  const billing = () => system.service('billing');

  async function placeOrder(
    customerId: string,
    items = [{ sku: 'SKU-0001', quantity: 2 }],
  ): Promise<Order> {
    const response = await orders().post<Order>('/orders', { customerId, items });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function waitForTerminal(orderId: string): Promise<Order> {
    const { body } = await waitFor(
      () => orders().get<Order>(`/orders/${orderId}`),
      (response) => response.body.status !== 'PENDING',
      { description: `order ${orderId} to leave PENDING` },
    );
    return body;
  }

  async function invoicesOf(orderId: string): Promise<Invoice[]> {
    const { status, body } = await billing().get<Invoice[]>(`/invoices?orderId=${orderId}`);
    expect(status).toBe(200);
    return body;
  }

  it('places an order as PENDING with priced items and a total', async () => {
    const order = await placeOrder('alice', [
      { sku: 'SKU-0001', quantity: 2 },
      { sku: 'SKU-0003', quantity: 1 },
    ]);
    expect(order.status).toBe('PENDING');
    expect(order.total).toEqual({ amountCents: 2 * 1299 + 4999, currency: 'EUR' });
    expect(order.history).toEqual([
      expect.objectContaining({ step: 'OrderPlaced', status: 'PENDING' }),
    ]);
  });

  it('a normal order reaches CONFIRMED, with one invoice for its OrderPlaced event', async () => {
    const placed = await placeOrder('alice');
    const order = await waitForTerminal(placed.orderId);

    expect(order.status).toBe('CONFIRMED');
    expect(order.reason).toBeUndefined();
    const [orderPlaced, processed] = order.history;
    expect(processed).toMatchObject({
      step: 'OrderProcessed',
      status: 'CONFIRMED',
      detail: 'PROCESSED',
    });
    const invoices = await invoicesOf(placed.orderId);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      orderPlacedEventId: orderPlaced.eventId,
      amount: { amountCents: 2598 },
    });
  });

  it('a fraud- customer reaches CANCELLED with reason FRAUD, and is never invoiced', async () => {
    const placed = await placeOrder('fraud-mallory');
    const order = await waitForTerminal(placed.orderId);

    expect(order).toMatchObject({ status: 'CANCELLED', reason: 'FRAUD' });
    expect(order.history[1]).toMatchObject({ step: 'OrderProcessed', detail: 'CANCELED_FRAUD' });
    expect(await invoicesOf(placed.orderId)).toEqual([]);
  });

  it('a total above 1,000,000 cents is fraud too', async () => {
    const placed = await placeOrder('big-spender', [{ sku: 'SKU-0005', quantity: 60 }]);
    expect(placed.total.amountCents).toBeGreaterThan(1_000_000);
    expect(await waitForTerminal(placed.orderId)).toMatchObject({
      status: 'CANCELLED',
      reason: 'FRAUD',
    });
  });

  it('the same OrderPlaced delivered twice more yields exactly one invoice', async () => {
    const placed = await placeOrder('carol');
    await waitForTerminal(placed.orderId);
    const [{ envelope }] = await system.db('orders').query<{
      envelope: DomainEvent;
    }>(`SELECT envelope FROM outbox WHERE event_type = 'OrderPlaced' AND envelope->'data'->>'orderId' = $1`, [placed.orderId]);
    const duplicatesBefore = await billing().metric('shop_messages_duplicate_total', {
      event_type: 'OrderPlaced',
    });

    await publishEvent(system.broker.url, envelope, 2);

    await waitFor(
      () => billing().metric('shop_messages_duplicate_total', { event_type: 'OrderPlaced' }),
      (duplicates) => duplicates === duplicatesBefore + 2,
      { description: 'billing to skip both redeliveries' },
    );
    expect(await invoicesOf(placed.orderId)).toHaveLength(1);
    const order = (await orders().get<Order>(`/orders/${placed.orderId}`)).body;
    expect(order.status).toBe('CONFIRMED');
    expect(order.history.filter((step) => step.step === 'OrderProcessed')).toHaveLength(1);
  });
});
