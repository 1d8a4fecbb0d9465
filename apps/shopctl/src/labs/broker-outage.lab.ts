import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICES } from '../cli/endpoints';
import { expectThat, Lab } from './lab';

const OUTAGE_MS = 8_000;
const ORDERS = 6;

export const brokerOutageLab: Lab = {
  name: 'broker-outage',
  title: 'Broker outage: orders still taken, nothing lost',
  page: 'docs/workshop/05-broker-outage.md',
  async run(context) {
    context.step(
      `for ${OUTAGE_MS / 1000} s the broker drops every connection of the system, again and again, while orders come in`,
    );
    const orderIds: string[] = [];
    let dropped = 0;
    const end = Date.now() + OUTAGE_MS;
    while (Date.now() < end) {
      for (const name of await context.broker.connections()) {
        await context.broker.closeConnection(name);
        dropped++;
      }
      if (orderIds.length < ORDERS)
        orderIds.push((await context.shop.placeOrder(context.customer('outage-lab'))).orderId);
      await sleep(400);
    }
    context.step('the broker is back: the outboxes publish what they kept');
    const orders = await Promise.all(orderIds.map((id) => context.terminal(id, 60_000)));
    const backlog = await context.waitFor('every outbox drained', async () => {
      let total = 0;
      for (const service of SERVICES.filter((each) => each !== 'ops'))
        total += await context.shop.metric(service, 'shop_outbox_backlog');
      return total === 0 ? total : undefined;
    });
    const invoices = await Promise.all(orderIds.map((id) => context.shop.invoices(id)));
    expectThat(
      orders.every((order) => order.status === 'CONFIRMED'),
      `orders ended ${orders.map((o) => o.status).join(', ')}`,
    );
    expectThat(
      invoices.every((each) => each.length === 1),
      'an order without exactly one invoice',
    );
    return [
      `${dropped} connections dropped; ${orderIds.length} orders placed meanwhile, all accepted (201)`,
      `all ${orders.length} CONFIRMED afterwards, one invoice each; outbox backlog ${backlog}`,
    ];
  },
  async undo() {
    // Nothing to switch back: the services reconnected by themselves.
  },
};
