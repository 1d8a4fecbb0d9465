import { expectThat, Lab } from './lab';

const ORDERS = 20;

export const scaleOutLab: Lab = {
  name: 'scale-out',
  title: 'Scale-out: competing consumers share one queue',
  page: 'docs/workshop/07-scale-out.md',
  async run(context) {
    const instances = await context.admin.instanceCount('billing');
    expectThat(
      instances >= 2,
      'only one billing runs: start the system with --scale billing=2 (compose: --scale billing=2)',
    );
    const consumed = (instance: number) =>
      context.shop.metric('billing', 'shop_messages_consumed_total', {}, instance);
    const before = await Promise.all([...Array(instances).keys()].map(consumed));
    context.step(`${ORDERS} orders at once; ${instances} billing instances consume billing.events`);
    const placed = await Promise.all(
      [...Array(ORDERS).keys()].map(() => context.shop.placeOrder(context.customer('scale-lab'))),
    );
    const orders = await Promise.all(
      placed.map((order) => context.terminal(order.orderId, 60_000)),
    );
    const after = await Promise.all([...Array(instances).keys()].map(consumed));
    const shares = after.map((value, index) => value - before[index]);
    const invoices = await Promise.all(placed.map((order) => context.shop.invoices(order.orderId)));
    expectThat(
      orders.every((order) => order.status === 'CONFIRMED'),
      'an order did not confirm',
    );
    expectThat(
      shares.every((share) => share > 0),
      `an instance took no work: ${shares.join(' / ')}`,
    );
    expectThat(
      invoices.every((each) => each.length === 1),
      'an order without exactly one invoice',
    );
    return [
      `${ORDERS} orders CONFIRMED, one invoice each`,
      `billing.events shared: ${shares.map((share, index) => `billing${index === 0 ? '' : `#${index + 1}`} ${share}`).join(', ')} messages`,
    ];
  },
  async undo() {
    // Nothing was switched on.
  },
};
