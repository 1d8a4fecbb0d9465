import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { Inbox, InboxOutcome } from '@shop/messaging';
import { OnEvent } from '@shop/rmq';
import { OrderOutcomesService } from './order-outcomes.service';

@Controller()
export class RecordCompensationOnPaymentRefunded {
  constructor(
    private readonly inbox: Inbox,
    private readonly outcomes: OrderOutcomesService,
  ) {}

  @OnEvent('PaymentRefunded')
  async handle(@Payload() event: DomainEvent<'PaymentRefunded'>): Promise<InboxOutcome> {
    return this.inbox.handleOnce(event, (tx) =>
      this.outcomes.recordCompensation(
        tx,
        event,
        `refunded ${event.data.amount.amountCents} ${event.data.amount.currency}`,
      ),
    );
  }
}
