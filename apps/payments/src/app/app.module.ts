import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { GatewayModule } from '../gateway/gateway.module';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { OrderCancelledHandler } from '../payments/order-cancelled.handler';
import { PaymentRequestedHandler } from '../payments/payment-requested.handler';
import { PaymentsController } from '../payments/payments.controller';
import { PaymentsService } from '../payments/payments.service';
import { SERVICE_NAME } from './service-name';

@Module({
  imports: [
    ServicePlatformModule.forRoot({
      service: SERVICE_NAME,
      defaultPort: 3004,
      migrationsFolder: MIGRATIONS_FOLDER,
    }),
    GatewayModule,
  ],
  controllers: [PaymentsController, PaymentRequestedHandler, OrderCancelledHandler],
  providers: [PaymentsService],
})
export class AppModule {}
