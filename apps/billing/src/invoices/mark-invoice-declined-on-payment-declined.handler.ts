import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { InvoicesService } from './invoices.service';

@Controller()
export class MarkInvoiceDeclinedOnPaymentDeclined {
  constructor(
    private readonly inbox: Inbox,
    private readonly invoices: InvoicesService,
  ) {}

  @OnEvent('PaymentDeclined')
  async handle(@Payload() event: DomainEvent<'PaymentDeclined'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.invoices.recordPaymentDeclined(tx, event));
  }
}
