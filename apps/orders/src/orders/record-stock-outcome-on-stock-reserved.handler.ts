import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { OrderOutcomesService } from './order-outcomes.service';

@Controller()
export class RecordStockOutcomeOnStockReserved {
  constructor(
    private readonly inbox: Inbox,
    private readonly outcomes: OrderOutcomesService,
  ) {}

  @OnEvent('StockReserved')
  async handle(@Payload() event: DomainEvent<'StockReserved'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.outcomes.recordStockReserved(tx, event));
  }
}
