import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OrderOutcomesService } from './order-outcomes.service';

@Controller()
export class OrderProcessedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly outcomes: OrderOutcomesService,
  ) {}

  @EventPattern('OrderProcessed')
  async handle(@Payload() event: DomainEvent<'OrderProcessed'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.outcomes.recordBillingOutcome(tx, event));
  }
}
