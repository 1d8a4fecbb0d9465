import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { ReservationsService } from './reservations.service';

@Controller()
export class ReleaseStockOnOrderCancelled {
  constructor(
    private readonly inbox: Inbox,
    private readonly reservations: ReservationsService,
  ) {}

  @OnEvent('OrderCancelled')
  async handle(@Payload() event: DomainEvent<'OrderCancelled'>): Promise<InboxOutcome> {
    // Compensation: the inbox makes a redelivered cancellation put the stock back only once.
    return this.inbox.handleOnce(event, (tx) => this.reservations.releaseForOrder(tx, event));
  }
}
