import { DomainEvent, EventType } from '@shop/contracts';
import { EVENTS_EXCHANGE } from '@shop/rmq';
import { ChannelModel, connect } from 'amqplib';
import { waitFor, WaitOptions } from './wait-for';

/**
 * Sees every event published to `shop.events` in a vhost, through its own exclusive queue
 * bound to `#` (or to the routing keys given): a test can assert what a service emitted without touching its queues.
 */
export class EventSpy {
  readonly events: DomainEvent[] = [];

  private constructor(private readonly connection: ChannelModel) {}

  static async start(url: string, routingKeys: string[] = ['#']): Promise<EventSpy> {
    const connection = await connect(url);
    const spy = new EventSpy(connection);
    const channel = await connection.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const routingKey of routingKeys)
      await channel.bindQueue(queue, EVENTS_EXCHANGE, routingKey);
    await channel.consume(
      queue,
      (message) => {
        if (message) spy.events.push(JSON.parse(message.content.toString('utf8')) as DomainEvent);
      },
      { noAck: true },
    );
    return spy;
  }

  /** Events of one type, optionally about one order. */
  ofType<T extends EventType>(eventType: T, orderId?: string): DomainEvent<T>[] {
    return this.events.filter(
      (event) =>
        event.eventType === eventType &&
        (orderId === undefined || (event.data as { orderId?: string }).orderId === orderId),
    ) as unknown as DomainEvent<T>[];
  }

  /** Waits until at least `count` events of the type (about the order) were seen. */
  async waitFor<T extends EventType>(
    eventType: T,
    orderId?: string,
    count = 1,
    options: WaitOptions = {},
  ): Promise<DomainEvent<T>[]> {
    return waitFor(
      () => this.ofType(eventType, orderId),
      (events) => events.length >= count,
      {
        description: `${count} ${eventType} event(s)${orderId ? ` for order ${orderId}` : ''}`,
        ...options,
      },
    );
  }

  async stop(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
