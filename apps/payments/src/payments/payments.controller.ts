import { Controller, Get, Query } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { paymentView } from './payment.view';
import { PaymentsService } from './payments.service';

class PaymentsQuery {
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId!: string;
}

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  async list(@Query() query: PaymentsQuery) {
    return (await this.payments.findByOrder(query.orderId)).map(paymentView);
  }
}
