import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { InvoicesService } from './invoices.service';

@Controller()
export class BillOrderOnOrderPlaced {
  constructor(
    private readonly inbox: Inbox,
    private readonly invoices: InvoicesService,
  ) {}

  @OnEvent('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>): Promise<InboxOutcome> {
    // Inbox row, invoice and outbox row commit together; a redelivery is skipped.
    return this.inbox.handleOnce(event, (tx) => this.invoices.billOrder(tx, event));
  }
}
