import { expectThat, Lab } from './lab';

const EVENT = 'OrderPlaced';

export const deadLetterReplayLab: Lab = {
  name: 'dead-letter-replay',
  title: 'Dead-letter replay: fix the cause, then replay',
  page: 'docs/workshop/06-dead-letter-replay.md',
  async run(context) {
    context.step(`shopctl fault inventory --fail-permanently ${EVENT}=1`);
    await context.admin.set('inventory', {
      handlerFailures: { [EVENT]: { rate: 1, permanent: true } },
    });
    const placed = await context.shop.placeOrder(context.customer('replay-lab'));
    const letter = await context.waitFor(
      `inventory dead-lettering ${EVENT} of the order`,
      async () => {
        const page = await context.ops.listDeadLetters({
          service: 'inventory',
          eventType: EVENT,
          status: 'unresolved',
          limit: 200,
        });
        return page.items.find((each) => each.orderId === placed.orderId);
      },
    );
    const stuck = await context.shop.order(placed.orderId);
    expectThat(
      stuck.status === 'PENDING',
      `expected the order PENDING while its stock is not reserved, it is ${stuck.status}`,
    );
    context.step(`dead letter ${letter.id} (${letter.reason}); the order waits PENDING`);
    context.step('fixing the cause: shopctl fault inventory --clear');
    await context.admin.clear('inventory');
    context.step(`replaying: shopctl dlq retry ${letter.id} --reason "fixed"`);
    await context.ops.retry(letter.id, 'workshop lab dead-letter-replay: the fault is cleared');
    const resolved = await context.waitFor('the replayed dead letter resolved', async () => {
      const detail = await context.ops.deadLetter(letter.id);
      return detail.status === 'resolved' ? detail : undefined;
    });
    const order = await context.terminal(placed.orderId);
    expectThat(order.status === 'CONFIRMED', `the order ended ${order.status}`);
    return [
      `inventory parked ${EVENT} at once (${letter.reason}); the order waited PENDING`,
      `after the fix, the replayed dead letter ${resolved.status} and the order CONFIRMED`,
    ];
  },
  async undo(context) {
    await context.admin.clear('inventory');
  },
};
