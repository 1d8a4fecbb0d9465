import { MessageHandler } from '@nestjs/microservices';
import { isDeclaredWithOnEvent } from './on-event';
import { checkSubscriptions, SubscriptionMismatchError, Subscriptions } from './subscriptions';

/**
 * What the event server refuses to start with: a handler that is not an `@OnEvent`, or
 * handlers that disagree with the service's subscriptions (the queue's bindings come from
 * the subscriptions, so they must match the handlers exactly).
 */
export function checkEventHandlers(
  handlers: Map<string, MessageHandler>,
  subscriptions: Subscriptions,
  service: string,
): void {
  const patterns = [...handlers.entries()];
  const notEvents = patterns
    .filter(([, handler]) => !handler.isEventHandler)
    .map(([pattern]) => pattern);
  if (notEvents.length > 0) {
    throw new Error(
      `only @OnEvent handlers are supported; found @MessagePattern for ${notEvents.join(', ')}`,
    );
  }
  // A plain @EventPattern would get Nest's "Internal server error" instead of its real error,
  // and be retried when it should be dead-lettered.
  const plain = patterns
    .filter(([, head]) => chainOf(head).some((handler) => !isDeclaredWithOnEvent(handler)))
    .map(([pattern]) => pattern);
  if (plain.length > 0) {
    throw new Error(
      `declare event handlers with @OnEvent (from @shop/rmq), not @EventPattern: ${plain.join(', ')}`,
    );
  }
  const check = checkSubscriptions(
    subscriptions,
    service,
    patterns.map(([pattern]) => pattern),
  );
  if (check.outcome !== 'matching') throw new SubscriptionMismatchError(service, check);
}

/** Nest chains the handlers of one pattern through `next`. */
function chainOf(head: MessageHandler): MessageHandler[] {
  const chain: MessageHandler[] = [];
  for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) {
    chain.push(handler);
  }
  return chain;
}
