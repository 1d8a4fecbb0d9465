import { EVENTS_EXCHANGE } from '@shop/rmq';
import { connectBroker, publishConfirmed } from '../clients/broker';
import { expectThat, Lab } from './lab';
import type { LabContext } from './lab-context';

/** Who consumes `order.placed`, so who must dead-letter a poison message sent there. */
const CONSUMERS = ['billing', 'inventory'];

async function poisonDeadLetters(context: LabContext) {
  const page = await context.ops.listDeadLetters({ q: `poison-${context.runId}`, limit: 50 });
  return page.items;
}

export const poisonMessageLab: Lab = {
  name: 'poison-message',
  title: 'Poison message: parked at once, never retried',
  page: 'docs/workshop/01-poison-message.md',
  async run(context) {
    const retriedBefore = await context.shop.metric('billing', 'shop_messages_retried_total');
    context.step('publishing bytes that are no JSON on shop.events "order.placed"');
    const connection = await connectBroker(context.endpoints.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      await publishConfirmed(
        channel,
        EVENTS_EXCHANGE,
        'order.placed',
        Buffer.from(`this is not JSON poison-${context.runId}`),
        { type: 'OrderPlaced', persistent: true, appId: 'shopctl' },
      );
    } finally {
      await connection.close();
    }
    const letters = await context.waitFor(
      'a dead letter in ops from billing and inventory',
      async () => {
        const found = await poisonDeadLetters(context);
        return found.length >= CONSUMERS.length ? found : undefined;
      },
    );
    expectThat(
      CONSUMERS.every((service) => letters.some((letter) => letter.service === service)),
      `expected dead letters from ${CONSUMERS.join(' and ')}, got ${letters.map((l) => l.service).join(', ')}`,
    );
    expectThat(
      letters.every((letter) => letter.reason === 'unparseable'),
      `expected reason unparseable, got ${letters.map((l) => l.reason).join(', ')}`,
    );
    const retriedAfter = await context.shop.metric('billing', 'shop_messages_retried_total');
    expectThat(
      retriedAfter === retriedBefore,
      `billing retried it: ${retriedAfter - retriedBefore} retries`,
    );
    return [
      `parked by ${letters.map((letter) => `${letter.service} (${letter.reason}, ${letter.attempts} attempts)`).join(' and ')}`,
      'no retry spent on it: billing shop_messages_retried_total unchanged',
    ];
  },
  async undo(context) {
    for (const letter of await poisonDeadLetters(context))
      if (letter.status === 'unresolved')
        await context.ops.archive(letter.id, 'workshop lab poison-message: shown, then set aside');
  },
};
