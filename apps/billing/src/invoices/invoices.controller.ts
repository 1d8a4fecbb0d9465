import { Controller, Get, Query } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { invoiceView } from './invoice.view';
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
    return (await this.invoices.findByOrder(query.orderId)).map(invoiceView);
  }
}
