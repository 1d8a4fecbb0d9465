import { decodeMessage, EVENTS_EXCHANGE, MONITORING_EXCHANGE } from '@shop/rmq';
import { Command } from 'commander';
import type { ConsumeMessage } from 'amqplib';
import { contextOf } from '../cli/context';
import { colors, shortId } from '../cli/output';
import { connectBroker } from '../clients/broker';
import { parseJson } from '../clients/http-api';

/** Fields of an event's data worth a glance on one line. */
const HEADLINE_FIELDS = ['customerId', 'reason', 'status', 'amount', 'total'];

export function tailCommand(): Command {
  return new Command('tail')
    .description(
      "show events live as they flow, through shopctl's own exclusive auto-delete queue bound to shop.events (it never consumes a service's queue)",
    )
    .argument('[pattern]', 'a topic pattern of routing keys, e.g. "payment.#"', '#')
    .option(
      '--monitoring',
      'also show shop.monitoring: heartbeats, bus logs, replay acknowledgements',
    )
    .option('--count <n>', 'stop after n messages', (value) => Number(value))
    .action(async (pattern: string, options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const connection = await connectBroker(endpoints.rabbitmqUrl);
      const channel = await connection.createChannel();
      // Classic on purpose: a queue that lives only as long as this connection needs no replicas.
      const { queue } = await channel.assertQueue('', {
        exclusive: true,
        autoDelete: true,
        durable: false,
        arguments: { 'x-queue-type': 'classic' },
      });
      await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
      if (options.monitoring) await channel.bindQueue(queue, MONITORING_EXCHANGE, pattern);
      output.note(
        `tailing ${EVENTS_EXCHANGE}${options.monitoring ? ` and ${MONITORING_EXCHANGE}` : ''} "${pattern}" (Ctrl-C stops)`,
      );
      let seen = 0;
      const done = new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        void channel.consume(
          queue,
          (message) => {
            if (!message) return resolve();
            const line = describeMessage(message);
            output.event(line.json, line.human);
            if (options.count && ++seen >= options.count) resolve();
          },
          { noAck: true },
        );
      });
      await done;
      await connection.close();
    });
}

/** One message as a line: time, routing key, type, who sent it, and the saga it belongs to. */
export function describeMessage(message: ConsumeMessage) {
  const time = new Date().toISOString().slice(11, 23);
  const routingKey = message.fields.routingKey;
  if (message.fields.exchange === MONITORING_EXCHANGE) {
    const text = message.content.toString('utf8');
    return {
      json: { time, exchange: message.fields.exchange, routingKey, body: parseJson(text) },
      human: `${colors.dim(time)} ${colors.dim(routingKey)} ${colors.dim(text.slice(0, 160))}`,
    };
  }
  const decoded = decodeMessage(message.content);
  if (decoded.outcome === 'poison') {
    return {
      json: { time, routingKey, poison: decoded.reason, detail: decoded.detail },
      human: `${colors.dim(time)} ${routingKey} ${colors.red(`POISON (${decoded.reason})`)} ${colors.dim(message.content.toString('utf8').slice(0, 80))}`,
    };
  }
  const { event } = decoded;
  const data = event.data as Record<string, unknown>;
  const headline = HEADLINE_FIELDS.filter((field) => data[field] !== undefined)
    .map(
      (field) =>
        `${field}=${typeof data[field] === 'object' ? JSON.stringify(data[field]) : String(data[field])}`,
    )
    .join(' ');
  return {
    json: { time, routingKey, event },
    human: [
      colors.dim(time),
      routingKey,
      colors.bold(event.eventType),
      colors.cyan(event.source),
      `order ${shortId(data['orderId'] as string | undefined)}`,
      colors.dim(`corr ${shortId(event.metadata.correlationId)}`),
      headline,
    ]
      .join(' ')
      .trimEnd(),
  };
}
