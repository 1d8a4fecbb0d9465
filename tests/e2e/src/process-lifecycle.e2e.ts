import { createEvent } from '@shop/contracts';
import { EventSpy, FAST_RETRY_ENV, publishEvent, TestSystem, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Payment } from './support/shop-client';

/** A slow gateway keeps a handler in flight long enough to stop or kill the process under it. */
const SLOW_GATEWAY_MS = 1_500;

describe('stopping and killing a service while it handles a message', () => {
  let system: TestSystem;
  let spy: EventSpy;

  beforeAll(async () => {
    system = await TestSystem.start('lifecycle', {
      services: ['payments'],
      env: { ...FAST_RETRY_ENV, GATEWAY_LATENCY_MS: String(SLOW_GATEWAY_MS) },
    });
    spy = await EventSpy.start(system.broker.url);
  });

  afterAll(async () => {
    await spy?.stop();
    await system?.stop();
  });

  const paymentRequested = () =>
    createEvent(
      'PaymentRequested',
      {
        orderId: randomUUID(),
        invoiceId: randomUUID(),
        customerId: 'ivan',
        amount: { amountCents: 4_200, currency: 'EUR' },
      },
      { source: 'billing', correlationId: randomUUID() },
    );

  /** Messages waiting in payments.events, and messages delivered but not acked. */
  async function queueState(): Promise<{ ready: number; consumers: number }> {
    const amqp = await connect(system.broker.url);
    try {
      const { messageCount, consumerCount } = await (
        await amqp.createChannel()
      ).checkQueue('payments.events');
      return { ready: messageCount, consumers: consumerCount };
    } finally {
      await amqp.close();
    }
  }

  const charges = async (invoiceId: string) =>
    (
      await system
        .db('payments')
        .query(`SELECT 1 FROM gateway_operations WHERE idempotency_key = $1`, [invoiceId])
    ).length;

  it('on SIGTERM finishes the in-flight message, acks it, publishes its event, then exits', async () => {
    const instance = system.service('payments');
    const request = paymentRequested();
    await publishEvent(system.broker.url, request);
    await waitFor(queueState, (state) => state.ready === 0, {
      description: 'the message to be delivered',
    });

    const exit = await instance.stop();

    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
    // Published by the relay's final flush, before the process exited.
    expect(spy.ofType('PaymentCaptured', request.data.orderId)).toHaveLength(1);
    // Acked: nothing left to redeliver, and the next instance has nothing to do for it.
    expect(await queueState()).toEqual({ ready: 0, consumers: 0 });
    const next = await system.startInstance('payments');
    expect(await next.metric('shop_messages_consumed_total')).toBe(0);
    expect(await charges(request.data.invoiceId)).toBe(1);
  });

  it('on SIGKILL the unacked message is redelivered and handled once by the next instance', async () => {
    const request = paymentRequested();
    await publishEvent(system.broker.url, request);
    await waitFor(queueState, (state) => state.ready === 0, {
      description: 'the message to be delivered',
    });

    await system.service('payments').kill();
    const next = await system.startInstance('payments');

    await spy.waitFor('PaymentCaptured', request.data.orderId);
    expect(
      await next.metric('shop_messages_consumed_total', { event_type: 'PaymentRequested' }),
    ).toBe(1);
    expect(await charges(request.data.invoiceId)).toBe(1);
    const payments = await next.get<Payment[]>(`/payments?orderId=${request.data.orderId}`);
    expect(payments.body).toEqual([expect.objectContaining({ status: 'CAPTURED' })]);
  });
});
