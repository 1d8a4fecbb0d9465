import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import { PaymentResponse } from './payment.response';
import { Payment } from './payment.schema';
import { PaymentsQuery } from './payments.query';
import { PaymentsService } from './payments.service';

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** An order's payments: one per invoice, none before payments heard of it. */
  @Get()
  @ApiBadRequestResponse({ description: 'orderId is missing or not a UUID' })
  async list(@Query() query: PaymentsQuery): Promise<PaymentResponse[]> {
    return (await this.payments.findByOrder(query.orderId)).map(toResponse);
  }
}

function toResponse(payment: Payment): PaymentResponse {
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
