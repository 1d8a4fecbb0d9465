import { EVENT_TYPES, EventCatalog } from '@shop/contracts';
import { SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import { asyncApiDocument, topicMatches } from './asyncapi-document';

type Json = Record<string, any>;

/** Follows a local `$ref` (`#/channels/order.placed/messages/OrderPlaced.v1`). */
function resolve(document: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refsIn(value),
  );
}

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument() as Json;
  const operations = Object.values(document['operations']) as Json[];
  const onChannel = (routingKey: string, action: 'send' | 'receive') =>
    operations.filter(
      (operation) =>
        operation['action'] === action && operation['channel'].$ref === `#/channels/${routingKey}`,
    );

  it('is AsyncAPI 3 with a channel per routing key on shop.events', () => {
    expect(document['asyncapi']).toBe('3.0.0');
    expect(Object.keys(document['channels']).sort()).toEqual(
      EVENT_TYPES.map((eventType) => EventCatalog[eventType].routingKey).sort(),
    );
  });

  it('resolves every reference it makes', () => {
    const dangling = refsIn(document).filter((ref) => resolve(document, ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it.each(EVENT_TYPES)(
    '%s: sent by its catalog source, received by its subscribers and the journal',
    (eventType) => {
      const { routingKey, source, version } = EventCatalog[eventType];
      const senders = onChannel(routingKey, 'send');
      expect(senders.map((operation) => operation['title'])).toEqual([
        `${source} publishes ${eventType}`,
      ]);
      expect(senders[0]['messages']).toEqual([
        { $ref: `#/channels/${routingKey}/messages/${eventType}.v${version}` },
      ]);
      const subscribers = Object.entries(SHOP_SUBSCRIPTIONS)
        .filter(([, eventTypes]) => (eventTypes as readonly string[]).includes(eventType))
        .map(([service]) => `${service}.events`);
      expect(
        onChannel(routingKey, 'receive')
          .map((operation) => operation['title'])
          .sort(),
      ).toEqual(
        [...subscribers, 'ops.journal'].map((queue) => `${queue} receives ${eventType}`).sort(),
      );
    },
  );

  it('lets receivers read every published version, and senders write only the current one', () => {
    const refunded = onChannel('payment.refunded', 'receive')[0]['messages'];
    expect(refunded).toEqual([
      { $ref: '#/channels/payment.refunded/messages/PaymentRefunded.v1' },
      { $ref: '#/channels/payment.refunded/messages/PaymentRefunded.v2' },
    ]);
    const v2 = document['components'].messages['PaymentRefunded.v2'];
    expect(v2.payload.allOf[1].properties.data.required).toContain('refundedAt');
    expect(
      document['components'].messages['PaymentRefunded.v1'].payload.allOf[1].properties.data
        .required,
    ).not.toContain('refundedAt');
  });
});

describe('topicMatches (AMQP topic patterns)', () => {
  it.each([
    ['order.placed', 'order.placed', true],
    ['order.*', 'order.placed', true],
    ['*.placed', 'order.placed', true],
    ['#', 'order.placed', true],
    ['order.#', 'order', true],
    ['order.*', 'order', false],
    ['order.placed', 'order.cancelled', false],
    ['*', 'order.placed', false],
  ])('%s matches %s: %s', (pattern, routingKey, expected) => {
    expect(topicMatches(pattern, routingKey)).toBe(expected);
  });
});
