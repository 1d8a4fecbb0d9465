import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import { InvoiceResponse } from './invoice.response';
import { invoiceView } from './invoice.view';
import { InvoicesQuery } from './invoices.query';
import { InvoicesService } from './invoices.service';

@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /** An order's invoices: one, or none while billing has not heard of it (or for fraud). */
  @Get()
  @ApiBadRequestResponse({ description: 'orderId is missing or not a UUID' })
  async list(@Query() query: InvoicesQuery): Promise<InvoiceResponse[]> {
    return (await this.invoices.findByOrder(query.orderId)).map(invoiceView);
  }
}
