import { expectThat, Lab } from './lab';

const EVENT = 'OrderPlaced';

export const crashBeforeAckLab: Lab = {
  name: 'crash-before-ack',
  title: 'Crash before ack: redelivered, and the inbox absorbs it',
  page: 'docs/workshop/03-crash-before-ack.md',
  async run(context) {
    const startedAt = () => context.shop.metric('inventory', 'process_start_time_seconds');
    const before = await startedAt();
    context.step(`shopctl fault inventory --crash-before-ack 1:${EVENT}`);
    await context.admin.set('inventory', { crashBeforeAck: { times: 1, eventType: EVENT } });
    const placed = await context.shop.placeOrder(context.customer('crash-lab'));
    context.step(
      `order ${placed.orderId.slice(0, 8)} placed; inventory commits its reservation and exits before the ack`,
    );
    await context.waitFor(
      'inventory running again (a new process: npm start or compose restarts it)',
      async () => {
        const now = await startedAt();
        return now !== before ? now : undefined;
      },
      60_000,
    );
    const order = await context.terminal(placed.orderId, 60_000);
    const duplicates = await context.shop.metric('inventory', 'shop_messages_duplicate_total', {
      event_type: EVENT,
    });
    const reservations = await context.shop.reservations(placed.orderId);
    expectThat(order.status === 'CONFIRMED', `the order ended ${order.status}`);
    expectThat(duplicates >= 1, `the new inventory saw no duplicate ${EVENT}: was it redelivered?`);
    expectThat(reservations.length === 1, `expected one reservation, found ${reservations.length}`);
    return [
      'inventory exited after its commit, before the ack; a new inventory process took over',
      `the broker redelivered ${EVENT}; the new inventory recorded it as a duplicate (${duplicates})`,
      'one reservation, and the order CONFIRMED',
    ];
  },
  async undo(context) {
    await context.admin.clear('inventory');
  },
};
