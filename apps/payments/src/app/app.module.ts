import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { GatewayModule } from '../gateway/gateway.module';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { PaymentsController } from '../payments/payments.controller';
import { PaymentsService } from '../payments/payments.service';
import { RefundPaymentOnOrderCancelled } from '../payments/refund-payment-on-order-cancelled.handler';
import { TakePaymentOnPaymentRequested } from '../payments/take-payment-on-payment-requested.handler';
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
  controllers: [PaymentsController, TakePaymentOnPaymentRequested, RefundPaymentOnOrderCancelled],
  providers: [PaymentsService],
})
export class AppModule {}
