import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OrderOutcomesService } from './order-outcomes.service';

@Controller()
export class StockReservedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly outcomes: OrderOutcomesService,
  ) {}

  @EventPattern('StockReserved')
  async handle(@Payload() event: DomainEvent<'StockReserved'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.outcomes.recordStockReserved(tx, event));
  }
}
