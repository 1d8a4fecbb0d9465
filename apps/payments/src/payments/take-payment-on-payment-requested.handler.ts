import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { PaymentsService } from './payments.service';

@Controller()
export class TakePaymentOnPaymentRequested {
  constructor(
    private readonly inbox: Inbox,
    private readonly payments: PaymentsService,
  ) {}

  @OnEvent('PaymentRequested')
  async handle(@Payload() event: DomainEvent<'PaymentRequested'>): Promise<InboxOutcome> {
    // Inbox row, payment and outbox row commit together; the gateway's idempotency key covers
    // the charge itself, which cannot roll back.
    return this.inbox.handleOnce(event, (tx) => this.payments.takePayment(tx, event));
  }
}
