import { MONITORING_EXCHANGE } from '@shop/rmq';
import { ChannelModel, connect, MessageProperties } from 'amqplib';
import { waitFor, WaitOptions } from './wait-for';

export interface MonitoringMessage {
  routingKey: string;
  properties: MessageProperties;
  body: Record<string, unknown>;
}

/**
 * Sees what services publish on `shop.monitoring` (heartbeats, GELF logs) in a vhost, through
 * its own exclusive queue bound to the routing keys given, the way ops or Graylog would.
 */
export class MonitoringSpy {
  readonly messages: MonitoringMessage[] = [];

  private constructor(private readonly connection: ChannelModel) {}

  static async start(url: string, routingKeys: string[]): Promise<MonitoringSpy> {
    const connection = await connect(url);
    const spy = new MonitoringSpy(connection);
    const channel = await connection.createChannel();
    await channel.assertExchange(MONITORING_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const routingKey of routingKeys)
      await channel.bindQueue(queue, MONITORING_EXCHANGE, routingKey);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        spy.messages.push({
          routingKey: message.fields.routingKey,
          properties: message.properties,
          body: JSON.parse(message.content.toString('utf8')) as Record<string, unknown>,
        });
      },
      { noAck: true },
    );
    return spy;
  }

  /** Waits for a message matching `match`, and returns the first one. */
  async waitFor(
    match: (message: MonitoringMessage) => boolean,
    description: string,
    options: WaitOptions = {},
  ): Promise<MonitoringMessage> {
    const [found] = await waitFor(
      () => this.messages.filter(match),
      (matching) => matching.length > 0,
      { description, ...options },
    );
    return found;
  }

  async stop(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
