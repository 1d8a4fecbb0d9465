import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { InvoicesController } from '../invoices/invoices.controller';
import { InvoicesService } from '../invoices/invoices.service';
import { OrderPlacedHandler } from '../invoices/order-placed.handler';
import { PaymentCapturedHandler } from '../invoices/payment-captured.handler';
import { PaymentDeclinedHandler } from '../invoices/payment-declined.handler';
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
    OrderPlacedHandler,
    PaymentCapturedHandler,
    PaymentDeclinedHandler,
  ],
  providers: [InvoicesService],
})
export class AppModule {}
