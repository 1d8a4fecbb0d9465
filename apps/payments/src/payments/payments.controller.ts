import { Controller, Get, Query } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { Payment } from './payment.schema';
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
    return (await this.payments.findByOrder(query.orderId)).map(toResponse);
  }
}

function toResponse(payment: Payment) {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    invoiceId: payment.invoiceId,
    customerId: payment.customerId,
    status: payment.status,
    amount: { amountCents: payment.amountCents, currency: payment.currency },
    gatewayReference: payment.gatewayReference,
    ...(payment.declineReason ? { declineReason: payment.declineReason } : {}),
    ...(payment.refundReference ? { refundReference: payment.refundReference } : {}),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
