import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { InvoicesService } from './invoices.service';

@Controller()
export class PaymentDeclinedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly invoices: InvoicesService,
  ) {}

  @EventPattern('PaymentDeclined')
  async handle(@Payload() event: DomainEvent<'PaymentDeclined'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.invoices.recordPaymentDeclined(tx, event));
  }
}
