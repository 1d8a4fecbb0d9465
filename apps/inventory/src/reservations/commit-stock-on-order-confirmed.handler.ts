import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { ReservationsService } from './reservations.service';

@Controller()
export class CommitStockOnOrderConfirmed {
  constructor(
    private readonly inbox: Inbox,
    private readonly reservations: ReservationsService,
  ) {}

  @OnEvent('OrderConfirmed')
  async handle(@Payload() event: DomainEvent<'OrderConfirmed'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.reservations.commitForOrder(tx, event));
  }
}
