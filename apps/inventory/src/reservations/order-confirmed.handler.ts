import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { ReservationsService } from './reservations.service';

@Controller()
export class OrderConfirmedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly reservations: ReservationsService,
  ) {}

  @EventPattern('OrderConfirmed')
  async handle(@Payload() event: DomainEvent<'OrderConfirmed'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) => this.reservations.commitForOrder(tx, event));
  }
}
