import { PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { Ctx, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { OnEvent } from './on-event';
import { RmqEventContext } from './rmq-event-context';

class Handlers {
  @OnEvent('OrderPlaced')
  placed(@Payload() event: DomainEvent<'OrderPlaced'>, @Ctx() context: RmqEventContext) {
    return [event, context];
  }

  // @ts-expect-error the event named and the payload taken disagree
  @OnEvent('OrderCancelled')
  mismatched(@Payload() event: DomainEvent<'OrderPlaced'>) {
    return event;
  }
}

describe('OnEvent', () => {
  it('is an @EventPattern for the event it names', () => {
    const method = Handlers.prototype.placed;
    expect(Reflect.getMetadata(PATTERN_METADATA, method)).toEqual(['OrderPlaced']);
    // 2: PatternHandler.EVENT, what @EventPattern records (1 would be a @MessagePattern).
    expect(Reflect.getMetadata(PATTERN_HANDLER_METADATA, method)).toBe(2);
  });
});
