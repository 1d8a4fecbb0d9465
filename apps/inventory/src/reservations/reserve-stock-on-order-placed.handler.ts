import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { ReservationsService } from './reservations.service';

@Controller()
export class ReserveStockOnOrderPlaced {
  constructor(
    private readonly inbox: Inbox,
    private readonly reservations: ReservationsService,
  ) {}

  @OnEvent('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>): Promise<InboxOutcome> {
    // Inbox row, stock change, reservation and outbox row commit together; a redelivery is skipped.
    return this.inbox.handleOnce(event, (tx) => this.reservations.reserveForOrder(tx, event));
  }
}
