import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { InvoicesService } from './invoices.service';

@Controller()
export class OrderPlacedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly invoices: InvoicesService,
  ) {}

  @EventPattern('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>): Promise<InboxOutcome> {
    // Inbox row, invoice and outbox row commit together; a redelivery is skipped.
    return this.inbox.handleOnce(event, (tx) => this.invoices.billOrder(tx, event));
  }
}
