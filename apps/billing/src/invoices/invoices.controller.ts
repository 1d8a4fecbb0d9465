import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import { InvoiceResponse } from './invoice.response';
import { Invoice } from './invoice.schema';
import { InvoicesQuery } from './invoices.query';
import { InvoicesService } from './invoices.service';

@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /** An order's invoices: one, or none while billing has not heard of it (or for fraud). */
  @Get()
  @ApiBadRequestResponse({ description: 'orderId is missing or not a UUID' })
  async list(@Query() query: InvoicesQuery): Promise<InvoiceResponse[]> {
    return (await this.invoices.findByOrder(query.orderId)).map(toResponse);
  }
}

function toResponse(invoice: Invoice): InvoiceResponse {
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
