import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox } from '@shop/messaging';
import { ReservationsService } from './reservations.service';

@Controller()
export class OrderConfirmedHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly reservations: ReservationsService,
  ) {}

  @EventPattern('OrderConfirmed')
  async handle(@Payload() event: DomainEvent<'OrderConfirmed'>): Promise<void> {
    await this.inbox.handleOnce(event, (tx) => this.reservations.commitForOrder(tx, event));
  }
}
