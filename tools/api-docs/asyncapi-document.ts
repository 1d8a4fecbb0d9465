import {
  EnvelopeSchema,
  EVENT_TYPES,
  EventCatalog,
  EventType,
  eventJsonSchema,
  JsonSchema,
  publishedVersions,
} from '@shop/contracts';
import {
  EVENTS_EXCHANGE,
  MessageHeaders,
  SHOP_SUBSCRIPTIONS,
  shopTopology,
  Topology,
} from '@shop/rmq';
import { z } from 'zod';

const AMQP_BINDING_VERSION = '0.3.0';

/**
 * The events as an AsyncAPI 3 document, from the data the services run on: a channel per
 * routing key on `shop.events`, a message per published version of each event (the envelope,
 * its `data` from the zod contract), the publisher from the catalog's `source`, and the
 * receivers from the topology's bindings (each service's queue, and ops' journal).
 */
export function asyncApiDocument(): JsonSchema {
  // The topology the setup step declares: every queue and its bindings.
  const topology = shopTopology(SHOP_SUBSCRIPTIONS);
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  const messages: JsonSchema = {};
  for (const eventType of EVENT_TYPES) {
    const { routingKey, source, version } = EventCatalog[eventType];
    const versions = publishedVersions(eventType).map((published) => published.version);
    const messageRef = (v: number) => ({
      $ref: `#/channels/${routingKey}/messages/${id(eventType, v)}`,
    });
    for (const v of versions) messages[id(eventType, v)] = message(eventType, v);
    channels[routingKey] = {
      address: routingKey,
      title: eventType,
      description: `${eventType} events: routing key \`${routingKey}\` on \`${EVENTS_EXCHANGE}\`.`,
      messages: Object.fromEntries(
        versions.map((v) => [
          id(eventType, v),
          { $ref: `#/components/messages/${id(eventType, v)}` },
        ]),
      ),
      bindings: { amqp: channelBinding() },
    };
    operations[`${source}.publish.${eventType}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${routingKey}` },
      title: `${source} publishes ${eventType}`,
      description: `Through its outbox: persistent, mandatory, confirmed by the broker. It writes version ${version}.`,
      messages: [messageRef(version)],
      bindings: {
        amqp: { deliveryMode: 2, mandatory: true, bindingVersion: AMQP_BINDING_VERSION },
      },
    };
    for (const queue of queuesReceiving(topology, routingKey)) {
      operations[`${queue}.receive.${eventType}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${routingKey}` },
        title: `${queue} receives ${eventType}`,
        description:
          `Queue \`${queue}\`, acked after the handler committed. Every version listed is ` +
          `accepted; older ones are upcast to version ${version} before a handler sees them.`,
        messages: versions.map(messageRef),
        bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'shop events',
      version: '1',
      description:
        'Every domain event of the shop, on the topic exchange `shop.events`. Generated from ' +
        'libs/contracts (the catalog and its zod schemas) and libs/rmq (subscriptions and ' +
        'topology) by `npm run docs:api`; docs/architecture.md explains them. Operational ' +
        'messages (heartbeats, bus logs, replay outcomes) travel on `shop.monitoring` and are ' +
        'not part of this contract.',
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: {
        host: 'localhost:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: 'RABBITMQ_URL (default amqp://guest:guest@localhost:5672, vhost /)',
      },
    },
    channels,
    operations,
    components: {
      schemas: { Envelope: draft7(EnvelopeSchema) },
      messages,
    },
  };
}

function id(eventType: EventType, version: number): string {
  return `${eventType}.v${version}`;
}

/** One version of an event as it travels: the envelope, with this version's `data`. */
function message(eventType: EventType, version: number): JsonSchema {
  const { $schema: _ignored, ...data } = eventJsonSchema(eventType, version, 'draft-7');
  return {
    name: eventType,
    title: `${eventType} v${version}`,
    contentType: 'application/json',
    correlationId: { location: '$message.payload#/metadata/correlationId' },
    headers: {
      type: 'object',
      properties: {
        [MessageHeaders.eventVersion]: { type: 'integer', const: version },
        [MessageHeaders.causationId]: { type: 'string', format: 'uuid' },
        [MessageHeaders.traceparent]: { type: 'string', description: 'W3C trace context' },
      },
      required: [MessageHeaders.eventVersion, MessageHeaders.causationId],
    },
    payload: {
      allOf: [
        { $ref: '#/components/schemas/Envelope' },
        {
          type: 'object',
          properties: {
            eventType: { const: eventType },
            eventVersion: { const: version },
            data,
          },
        },
      ],
    },
    bindings: {
      amqp: {
        contentEncoding: 'utf-8',
        messageType: eventType,
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
  };
}

function channelBinding(): JsonSchema {
  return {
    is: 'routingKey',
    exchange: {
      name: EVENTS_EXCHANGE,
      type: 'topic',
      durable: true,
      autoDelete: false,
      vhost: '/',
    },
    bindingVersion: AMQP_BINDING_VERSION,
  };
}

/** The queues bound to `shop.events` with a pattern that matches the routing key. */
function queuesReceiving(topology: Topology, routingKey: string): string[] {
  return topology.bindings
    .filter((binding) => binding.exchange === EVENTS_EXCHANGE)
    .filter((binding) => topicMatches(binding.routingKey, routingKey))
    .map((binding) => binding.queue);
}

/** AMQP topic matching: `*` is one word, `#` zero or more. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const match = (p: string[], k: string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
    return k.length > 0 && (head === '*' || head === k[0]) && match(rest, k.slice(1));
  };
  return match(pattern.split('.'), routingKey.split('.'));
}

function draft7(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' });
  return rest;
}
