import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OrderOutcomesService } from './order-outcomes.service';

@Controller()
export class StockRejectedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly outcomes: OrderOutcomesService,
  ) {}

  @EventPattern('StockRejected')
  async handle(@Payload() event: DomainEvent<'StockRejected'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.outcomes.recordStockRejected(tx, event));
  }
}
