import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { PaymentsService } from './payments.service';

@Controller()
export class OrderCancelledHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly payments: PaymentsService,
  ) {}

  @EventPattern('OrderCancelled')
  async handle(@Payload() event: DomainEvent<'OrderCancelled'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.payments.refundCancelledOrder(tx, event));
  }
}
