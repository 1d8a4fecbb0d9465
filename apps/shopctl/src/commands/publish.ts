import { createEvent, EventType, isEventType, routingKeyOf } from '@shop/contracts';
import { encodeEvent, EVENTS_EXCHANGE, eventMessageProperties } from '@shop/rmq';
import { Command, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { contextOf } from '../cli/context';
import { CliError, ExitCode } from '../cli/exit-codes';
import { connectBroker, publishConfirmed } from '../clients/broker';

/** Who the envelope says sent it: consumers log it, and it is never a service's name. */
const SOURCE = 'shopctl';

export function publishCommand(): Command {
  return new Command('publish')
    .description(
      'build a valid envelope for <eventType> (new eventId and correlationId), check it against its contract and publish it to shop.events with a confirm',
    )
    .argument('<eventType>', 'an event type of the catalog, e.g. OrderPlaced')
    .addOption(new Option('--data <json>', "the event's data, as JSON").conflicts('file'))
    .option('--file <path>', "read the event's data (or, with --raw, the bytes) from a file")
    .option('--correlation-id <id>', 'join an existing saga instead of starting a new one')
    .option('--raw', 'send the bytes as given, unchecked: for poison-message demos')
    .option('--routing-key <key>', "with --raw: the routing key (default: the event type's)")
    .addHelpText(
      'after',
      `
Examples:
  shopctl publish OrderPlaced --data '{"orderId":"…","customerId":"c1","items":[…],"total":{…}}'
  shopctl publish OrderPlaced --raw --data 'this is not JSON'`,
    )
    .action(async (eventType: string, options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const text = options.file ? readFileSync(options.file, 'utf8') : options.data;
      if (text === undefined)
        throw new CliError('give --data <json> or --file <path>', ExitCode.usage);
      const message = options.raw
        ? rawMessage(eventType, text, options.routingKey)
        : checkedMessage(eventType, text, options.correlationId);
      const connection = await connectBroker(endpoints.rabbitmqUrl);
      try {
        const channel = await connection.createConfirmChannel();
        await publishConfirmed(
          channel,
          EVENTS_EXCHANGE,
          message.routingKey,
          message.content,
          message.properties,
        );
      } finally {
        await connection.close();
      }
      output.result(
        message.summary,
        (summary) =>
          `published ${summary.eventType} on ${EVENTS_EXCHANGE} "${summary.routingKey}"${summary.eventId ? ` eventId ${summary.eventId} correlationId ${summary.correlationId}` : ' (raw, unchecked)'}`,
      );
    });
}

function checkedMessage(eventType: string, text: string, correlationId?: string) {
  if (!isEventType(eventType)) {
    throw new CliError(
      `unknown event type "${eventType}" (see: shopctl publish --help)`,
      ExitCode.usage,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `--data is not JSON: ${(error as Error).message} (use --raw to send it anyway)`,
      ExitCode.usage,
    );
  }
  let event;
  try {
    event = createEvent(eventType, data as never, {
      source: SOURCE,
      correlationId: correlationId ?? randomUUID(),
    });
  } catch (error) {
    throw new CliError(
      `not a valid ${eventType}:\n${error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message}\n(use --raw to send it anyway)`,
      ExitCode.usage,
    );
  }
  return {
    routingKey: routingKeyOf(eventType),
    content: encodeEvent(event),
    properties: eventMessageProperties(event),
    summary: {
      eventType,
      routingKey: routingKeyOf(eventType),
      eventId: event.eventId,
      correlationId: event.metadata.correlationId,
    },
  };
}

function rawMessage(eventType: string, text: string, routingKey?: string) {
  const key =
    routingKey ?? (isEventType(eventType) ? routingKeyOf(eventType as EventType) : undefined);
  if (!key) {
    throw new CliError(`"${eventType}" is not in the catalog: give --routing-key`, ExitCode.usage);
  }
  return {
    routingKey: key,
    content: Buffer.from(text, 'utf8'),
    properties: { type: eventType, messageId: randomUUID(), persistent: true, appId: SOURCE },
    summary: { eventType, routingKey: key, eventId: undefined, correlationId: undefined },
  };
}
