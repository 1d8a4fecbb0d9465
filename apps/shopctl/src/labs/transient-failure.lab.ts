import { expectThat, Lab } from './lab';

const EVENT = 'PaymentRequested';
const FAILURES = 2;

export const transientFailureLab: Lab = {
  name: 'transient-failure',
  title: 'Transient failure: retried with backoff, then it works',
  page: 'docs/workshop/02-transient-failure.md',
  async run(context) {
    const retried = () =>
      context.shop.metric('payments', 'shop_messages_retried_total', { event_type: EVENT });
    const before = await retried();
    context.step(`shopctl fault payments --fail ${EVENT}=1:${FAILURES}`);
    await context.admin.set('payments', {
      handlerFailures: { [EVENT]: { rate: 1, times: FAILURES } },
    });
    const started = Date.now();
    const placed = await context.shop.placeOrder(context.customer('backoff-lab'));
    context.step(
      `order ${placed.orderId.slice(0, 8)} placed; payments fails it twice, the ladder waits 1 s then 5 s`,
    );
    const order = await context.terminal(placed.orderId, 45_000);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const retries = (await retried()) - before;
    expectThat(order.status === 'CONFIRMED', `the order ended ${order.status}`);
    expectThat(
      retries === FAILURES,
      `expected exactly ${FAILURES} retries of ${EVENT}, saw ${retries}`,
    );
    return [
      `the order CONFIRMED after exactly ${retries} retries of ${EVENT}, ${seconds} s after it was placed`,
    ];
  },
  async undo(context) {
    await context.admin.clear('payments');
  },
};
