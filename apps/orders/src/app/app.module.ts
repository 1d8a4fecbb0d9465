import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { ServicePlatformModule } from '@shop/platform';
import { CatalogService } from '../catalog/catalog.service';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { orderDeadlineConfig } from '../orders/order-deadline.config';
import { OrderDeadlineSweeper } from '../orders/order-deadline.sweeper';
import { OrderOutcomesService } from '../orders/order-outcomes.service';
import { PendingOrdersProbe } from '../orders/order.metrics';
import {
  orderRateLimitConfig,
  OrderRateLimitConfig,
  RATE_LIMIT_WINDOW_MS,
} from '../orders/order-rate-limit.config';
import { OrdersController } from '../orders/orders.controller';
import { OrdersService } from '../orders/orders.service';
import { RecordBillingOutcomeOnOrderProcessed } from '../orders/record-billing-outcome-on-order-processed.handler';
import { RecordCompensationOnPaymentRefunded } from '../orders/record-compensation-on-payment-refunded.handler';
import { RecordCompensationOnStockReleased } from '../orders/record-compensation-on-stock-released.handler';
import { RecordStockOutcomeOnStockRejected } from '../orders/record-stock-outcome-on-stock-rejected.handler';
import { RecordStockOutcomeOnStockReserved } from '../orders/record-stock-outcome-on-stock-reserved.handler';
import { SERVICE_NAME } from './service-name';

@Module({
  imports: [
    ServicePlatformModule.forRoot({
      service: SERVICE_NAME,
      defaultPort: 3001,
      migrationsFolder: MIGRATIONS_FOLDER,
    }),
    ConfigModule.forFeature(orderDeadlineConfig),
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule.forFeature(orderRateLimitConfig)],
      inject: [orderRateLimitConfig.KEY],
      useFactory: (config: OrderRateLimitConfig) => ({
        throttlers: [{ ttl: RATE_LIMIT_WINDOW_MS, limit: config.ORDERS_RATE_LIMIT_PER_MINUTE }],
        skipIf: () => config.ORDERS_RATE_LIMIT_PER_MINUTE === 0,
        errorMessage: `too many orders from this address: at most ${config.ORDERS_RATE_LIMIT_PER_MINUTE} a minute (see Retry-After)`,
      }),
    }),
  ],
  controllers: [
    OrdersController,
    RecordBillingOutcomeOnOrderProcessed,
    RecordStockOutcomeOnStockReserved,
    RecordStockOutcomeOnStockRejected,
    RecordCompensationOnStockReleased,
    RecordCompensationOnPaymentRefunded,
  ],
  providers: [
    CatalogService,
    OrdersService,
    OrderOutcomesService,
    OrderDeadlineSweeper,
    PendingOrdersProbe,
  ],
})
export class AppModule {}
