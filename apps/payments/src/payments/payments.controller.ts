import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import { PaymentResponse } from './payment.response';
import { paymentView } from './payment.view';
import { PaymentsQuery } from './payments.query';
import { PaymentsService } from './payments.service';

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** An order's payments: one per invoice, none before payments heard of it. */
  @Get()
  @ApiBadRequestResponse({ description: 'orderId is missing or not a UUID' })
  async list(@Query() query: PaymentsQuery): Promise<PaymentResponse[]> {
    return (await this.payments.findByOrder(query.orderId)).map(paymentView);
  }
}
