import { redactUrl } from '@shop/rmq';
import amqp, { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { CliError, ExitCode } from '../cli/exit-codes';

/** shopctl's own broker connection: short-lived, named so the management UI shows who it is. */
export async function connectBroker(url: string): Promise<ChannelModel> {
  try {
    return await amqp.connect(url, { clientProperties: { connection_name: 'shopctl' } });
  } catch (error) {
    throw new CliError(
      `cannot connect to RabbitMQ at ${redactUrl(url)}: ${(error as Error).message}`,
      ExitCode.unreachable,
    );
  }
}

/** Publishes one message and waits for the broker's confirm; a nack or unroutable is an error. */
export async function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  let unroutable = false;
  const onReturn = () => (unroutable = true);
  channel.once('return', onReturn);
  try {
    await new Promise<void>((resolve, reject) =>
      channel.publish(exchange, routingKey, content, { ...options, mandatory: true }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  } catch (error) {
    throw new CliError(
      `the broker refused the message: ${(error as Error).message}`,
      ExitCode.refused,
    );
  } finally {
    channel.off('return', onReturn);
  }
  if (unroutable) {
    throw new CliError(
      `no queue is bound to ${exchange} for "${routingKey}": the message was dropped`,
      ExitCode.refused,
    );
  }
}
