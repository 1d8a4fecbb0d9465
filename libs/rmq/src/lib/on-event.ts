import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern, MessageHandler } from '@nestjs/microservices';
import { DomainEvent, EventType } from '@shop/contracts';
import { EventErrorPassthroughFilter } from './event-error-passthrough.filter';

/** A method that can handle `T`: its first parameter takes a `DomainEvent<T>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the other parameters are Nest's (@Ctx() and the like)
type EventHandlerMethod<T extends EventType> = (event: DomainEvent<T>, ...rest: any[]) => unknown;

/** Marks, in the pattern's extras, a handler declared with `@OnEvent`. */
const DECLARED_WITH_ON_EVENT = 'shop.onEvent';

/**
 * `@EventPattern(eventType)` whose method is type-checked against the event: naming one event
 * and taking another's payload does not compile. The event type is declared once, here.
 *
 * It also hands the handler's real error to the transport whatever filters the app installs
 * (a method's filter comes before global and class ones): its type decides retry or
 * dead-letter, its message and stack go into the DLQ headers.
 */
export function OnEvent<T extends EventType>(eventType: T) {
  const decorate = applyDecorators(
    EventPattern(eventType, { [DECLARED_WITH_ON_EVENT]: true }),
    UseFilters(new EventErrorPassthroughFilter()),
  );
  return <M extends EventHandlerMethod<T>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    decorate(target, key, descriptor);
  };
}

/** Whether Nest registered this handler from an `@OnEvent` method. */
export function isDeclaredWithOnEvent(handler: MessageHandler): boolean {
  return handler.extras?.[DECLARED_WITH_ON_EVENT] === true;
}
