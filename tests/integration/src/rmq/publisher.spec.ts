import { RmqConnection, RmqOptions, RmqPublisher, UnroutableMessageError } from '@shop/rmq';
import { createIsolatedBroker, IsolatedBroker, waitFor } from '@shop/testing';
import { connect } from 'amqplib';
import { anOrderPlaced } from '../support/order-placed';

describe('RmqPublisher on a real broker', () => {
  let broker: IsolatedBroker;
  let connection: RmqConnection;
  let publisher: RmqPublisher;

  beforeAll(async () => {
    broker = await createIsolatedBroker('publisher');
    const options: RmqOptions = {
      service: 'publisher-test',
      url: broker.url,
      prefetch: 1,
      retry: { delaysMs: [100], maxAttempts: 2 },
      publishTimeoutMs: 5_000,
    };
    connection = new RmqConnection(options);
    publisher = new RmqPublisher(connection, options);
    await publisher.waitForConnect();
    // A consumer-side queue for order.placed, declared the way a service would.
    const amqp = await connect(broker.url);
    const channel = await amqp.createChannel();
    await channel.assertQueue('spy.events', { durable: true });
    await channel.bindQueue('spy.events', 'shop.events', 'order.placed');
    await amqp.close();
  });

  afterAll(async () => {
    await publisher?.close();
    await connection?.close();
    await broker?.dispose();
  });

  it('resolves only once the broker confirmed, and the message mirrors the envelope', async () => {
    const event = anOrderPlaced();

    await publisher.publishEvent(event);

    const [message] = await waitFor(
      () => broker.admin.peek(broker.vhost, 'spy.events'),
      (messages) => messages.length === 1,
    );
    expect(JSON.parse(message.payload)).toEqual(event);
    expect(message.routingKey).toBe('order.placed');
    expect(message.properties).toMatchObject({
      message_id: event.eventId,
      type: 'OrderPlaced',
      correlation_id: event.metadata.correlationId,
      content_type: 'application/json',
      delivery_mode: 2,
      app_id: 'orders',
      headers: {
        'x-event-version': 1,
        'x-causation-id': event.metadata.causationId,
      },
    });
    // No tracing SDK in this process: no span to propagate, so no made-up traceparent either.
    expect(message.properties.headers).not.toHaveProperty('traceparent');
  });

  it('rejects an event that no queue is bound to, instead of letting the broker drop it', async () => {
    const unroutable = {
      ...anOrderPlaced(),
      eventType: 'OrderConfirmed' as const,
      data: { orderId: anOrderPlaced().data.orderId },
    };

    await expect(publisher.publishEvent(unroutable)).rejects.toBeInstanceOf(UnroutableMessageError);
  });

  it('keeps confirming routable publishes after an unroutable one', async () => {
    const before = (await broker.admin.peek(broker.vhost, 'spy.events')).length;
    await publisher.publishEvent(anOrderPlaced());
    await waitFor(
      () => broker.admin.peek(broker.vhost, 'spy.events'),
      (messages) => messages.length === before + 1,
    );
  });
});
