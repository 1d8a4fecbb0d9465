import { EventPattern } from '@nestjs/microservices';
import { DomainEvent, EventType } from '@shop/contracts';

/** A method that can handle `T`: its first parameter takes a `DomainEvent<T>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the other parameters are Nest's (@Ctx() and the like)
type EventHandlerMethod<T extends EventType> = (event: DomainEvent<T>, ...rest: any[]) => unknown;

/**
 * `@EventPattern(eventType)` whose method is type-checked against the event: naming one event
 * and taking another's payload does not compile. The event type is declared once, here.
 */
export function OnEvent<T extends EventType>(eventType: T) {
  const pattern = EventPattern(eventType);
  return <M extends EventHandlerMethod<T>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    pattern(target, key, descriptor);
  };
}
