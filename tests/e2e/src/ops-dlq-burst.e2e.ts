import { TestSystem, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { OpsClient } from './support/ops-client';

const BURST = 5_000;

/** A benchmark, not a limit: the figures are printed, and only completeness is asserted. */
describe('ops: a burst of dead letters', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('ops-burst', { services: ['ops'] });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it(`collects ${BURST} dead letters, none lost (throughput printed)`, async () => {
    const ops = new OpsClient(system);
    const connection = await connect(system.broker.url);
    const channel = await connection.createConfirmChannel();
    const publishedAt = Date.now();
    for (let i = 0; i < BURST; i++) {
      const eventId = randomUUID();
      channel.publish(
        '',
        'billing.dlq',
        Buffer.from(
          JSON.stringify({
            eventId,
            eventType: 'OrderPlaced',
            data: { orderId: randomUUID(), n: i },
          }),
        ),
        {
          messageId: eventId,
          type: 'OrderPlaced',
          persistent: true,
          headers: {
            'x-dead-letter-reason': 'retries-exhausted',
            'x-error-message': `invoice ${i} failed for order ${eventId}`,
            'x-attempts': 4,
            'x-dead-lettered-at': new Date().toISOString(),
          },
        },
      );
    }
    await channel.waitForConfirms();
    await connection.close();
    const published = Date.now();

    const total = () =>
      ops
        .get<{ total: number }>('/api/dead-letters?service=billing&limit=0')
        .then((r) => r.body.total);
    await waitFor(total, (count) => count === BURST, {
      description: `${BURST} dead letters stored`,
      timeoutMs: 110_000,
      intervalMs: 250,
    });
    const seconds = (Date.now() - published) / 1000;
    console.log(
      `dead-letter collector: ${BURST} messages stored ${seconds.toFixed(1)} s after the last publish confirm (publishing took ${((published - publishedAt) / 1000).toFixed(1)} s): ${(BURST / seconds).toFixed(0)} messages/s`,
    );
    const groups = (await ops.get<{ items: Array<{ count: number }> }>('/api/groups')).body.items;
    expect(groups).toEqual([expect.objectContaining({ count: BURST })]);
  });
});
