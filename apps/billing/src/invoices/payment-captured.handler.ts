import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { InvoicesService } from './invoices.service';

@Controller()
export class PaymentCapturedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly invoices: InvoicesService,
  ) {}

  @EventPattern('PaymentCaptured')
  async handle(@Payload() event: DomainEvent<'PaymentCaptured'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.invoices.recordPaymentCaptured(tx, event));
  }
}
