import { EVENT_TYPES, EventType, isEventType } from '@shop/contracts';

/** Which service consumes which event types: each service's queue is bound to exactly these. */
export type Subscriptions = Readonly<Record<string, readonly EventType[]>>;

/**
 * The shop's subscriptions, in one place (docs/architecture.md, "Services and what they own").
 * Every service declares every queue below, not only its own: an event published while one of
 * its consumers has never started still waits in that consumer's queue.
 */
export const SHOP_SUBSCRIPTIONS = {
  orders: ['OrderProcessed', 'StockReserved', 'StockRejected', 'StockReleased', 'PaymentRefunded'],
  billing: ['OrderPlaced', 'PaymentCaptured', 'PaymentDeclined'],
  inventory: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'],
  payments: ['PaymentRequested', 'OrderCancelled'],
} as const satisfies Subscriptions;

/** How a service's `@EventPattern` handlers compare with its declared subscriptions. */
export type SubscriptionCheck =
  | { outcome: 'matching' }
  | { outcome: 'unknown-service'; service: string }
  | {
      outcome: 'mismatch';
      /** Subscribed, so bound and delivered, but no handler: each would be dead-lettered. */
      withoutHandler: EventType[];
      /** Handled, but not subscribed: never bound, so never delivered. */
      notSubscribed: string[];
    };

export function checkSubscriptions(
  subscriptions: Subscriptions,
  service: string,
  handledEventTypes: string[],
): SubscriptionCheck {
  const subscribed = subscriptions[service];
  if (!subscribed) return { outcome: 'unknown-service', service };
  const handled = new Set(handledEventTypes);
  const withoutHandler = subscribed.filter((eventType) => !handled.has(eventType));
  const notSubscribed = [...handled].filter(
    (eventType) => !isEventType(eventType) || !subscribed.includes(eventType),
  );
  return withoutHandler.length === 0 && notSubscribed.length === 0
    ? { outcome: 'matching' }
    : { outcome: 'mismatch', withoutHandler, notSubscribed };
}

/** Event types nobody subscribes to: publishing one would fail as unroutable. */
export function eventTypesWithoutSubscriber(subscriptions: Subscriptions): EventType[] {
  const subscribed = new Set(Object.values(subscriptions).flat());
  return EVENT_TYPES.filter((eventType) => !subscribed.has(eventType));
}

/** Refuses a service whose handlers and subscriptions disagree, saying how. */
export class SubscriptionMismatchError extends Error {
  override readonly name = 'SubscriptionMismatchError';
  constructor(service: string, check: Exclude<SubscriptionCheck, { outcome: 'matching' }>) {
    super(
      check.outcome === 'unknown-service'
        ? `${service} is missing from the subscriptions (libs/rmq/src/lib/subscriptions.ts): nothing would be bound to its queue`
        : [
            `the @EventPattern handlers of ${service} disagree with its subscriptions (libs/rmq/src/lib/subscriptions.ts):`,
            ...(check.withoutHandler.length > 0
              ? [`subscribed but not handled: ${check.withoutHandler.join(', ')}`]
              : []),
            ...(check.notSubscribed.length > 0
              ? [`handled but not subscribed: ${check.notSubscribed.join(', ')}`]
              : []),
          ].join('\n  '),
    );
  }
}
