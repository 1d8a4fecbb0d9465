import { DomainEvent, routingKeyOf } from '@shop/contracts';
import { encodeEvent, eventMessageProperties, EVENTS_EXCHANGE } from '@shop/rmq';
import { connect, Options } from 'amqplib';

/** Publishes raw bytes with confirms, as another service (or a mischievous trainer) would. */
export async function publishRaw(
  url: string,
  exchange: string,
  routingKey: string,
  content: Buffer,
  properties: Options.Publish = {},
): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(exchange, routingKey, content, { persistent: true, ...properties });
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
}

/** Publishes an event exactly as the services do, `times` times: same bytes, same eventId. */
export async function publishEvent(url: string, event: DomainEvent, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await publishRaw(
      url,
      EVENTS_EXCHANGE,
      routingKeyOf(event.eventType),
      encodeEvent(event),
      eventMessageProperties(event),
    );
  }
}
