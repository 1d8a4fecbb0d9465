import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { PaymentsService } from './payments.service';

@Controller()
export class RefundPaymentOnOrderCancelled {
  constructor(
    private readonly inbox: Inbox,
    private readonly payments: PaymentsService,
  ) {}

  @OnEvent('OrderCancelled')
  async handle(@Payload() event: DomainEvent<'OrderCancelled'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.payments.refundCancelledOrder(tx, event));
  }
}
