import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { BillOrderOnOrderPlaced } from '../invoices/bill-order-on-order-placed.handler';
import { InvoicesController } from '../invoices/invoices.controller';
import { InvoicesService } from '../invoices/invoices.service';
import { MarkInvoiceDeclinedOnPaymentDeclined } from '../invoices/mark-invoice-declined-on-payment-declined.handler';
import { MarkInvoicePaidOnPaymentCaptured } from '../invoices/mark-invoice-paid-on-payment-captured.handler';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { SERVICE_NAME } from './service-name';

@Module({
  imports: [
    ServicePlatformModule.forRoot({
      service: SERVICE_NAME,
      defaultPort: 3002,
      migrationsFolder: MIGRATIONS_FOLDER,
    }),
  ],
  controllers: [
    InvoicesController,
    BillOrderOnOrderPlaced,
    MarkInvoicePaidOnPaymentCaptured,
    MarkInvoiceDeclinedOnPaymentDeclined,
  ],
  providers: [InvoicesService],
})
export class AppModule {}
