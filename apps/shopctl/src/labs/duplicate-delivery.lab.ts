import { expectThat, Lab } from './lab';

export const duplicateDeliveryLab: Lab = {
  name: 'duplicate-delivery',
  title: 'Duplicate delivery: one invoice, one charge',
  page: 'docs/workshop/04-duplicate-delivery.md',
  async run(context) {
    const billings = await context.admin.instanceCount('billing');
    const duplicates = async () => {
      let total = 0;
      for (let instance = 0; instance < billings; instance++)
        total += await context.shop.metric(
          'billing',
          'shop_messages_duplicate_total',
          { event_type: 'OrderPlaced' },
          instance,
        );
      return total;
    };
    const before = await duplicates();
    context.step('shopctl fault orders --duplicate-publish');
    await context.admin.set('orders', { duplicatePublish: true });
    const placed = await context.shop.placeOrder(context.customer('duplicate-lab'));
    const order = await context.terminal(placed.orderId);
    const absorbed = await context.waitFor(
      'billing absorbing the copy of OrderPlaced',
      async () => {
        const seen = (await duplicates()) - before;
        return seen >= 1 ? seen : undefined;
      },
    );
    const invoices = await context.shop.invoices(placed.orderId);
    const captures = (await context.shop.payments(placed.orderId)).filter(
      (p) => p.status === 'CAPTURED',
    );
    expectThat(order.status === 'CONFIRMED', `the order ended ${order.status}`);
    expectThat(invoices.length === 1, `expected one invoice, found ${invoices.length}`);
    expectThat(captures.length === 1, `expected one capture, found ${captures.length}`);
    return [
      'orders published every event twice',
      `billing's inbox absorbed ${absorbed} duplicate OrderPlaced`,
      'one invoice despite the duplicate, one capture, the order CONFIRMED',
    ];
  },
  async undo(context) {
    await context.admin.clear('orders');
  },
};
