import { Controller, Get, Query } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { Invoice } from './invoice.schema';
import { InvoicesService } from './invoices.service';

class InvoicesQuery {
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId!: string;
}

@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  async list(@Query() query: InvoicesQuery) {
    return (await this.invoices.findByOrder(query.orderId)).map(toResponse);
  }
}

function toResponse(invoice: Invoice) {
  return {
    invoiceId: invoice.id,
    orderId: invoice.orderId,
    orderPlacedEventId: invoice.orderPlacedEventId,
    customerId: invoice.customerId,
    amount: { amountCents: invoice.amountCents, currency: invoice.currency },
    status: invoice.status,
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
  };
}
