import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { ServicePlatformModule } from '@shop/platform';
import { CatalogService } from '../catalog/catalog.service';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { orderDeadlineConfig } from '../orders/order-deadline.config';
import { OrderDeadlineSweeper } from '../orders/order-deadline.sweeper';
import { PendingOrdersProbe } from '../orders/order.metrics';
import { OrderOutcomesService } from '../orders/order-outcomes.service';
import { OrderProcessedHandler } from '../orders/order-processed.handler';
import {
  orderRateLimitConfig,
  OrderRateLimitConfig,
  RATE_LIMIT_WINDOW_MS,
} from '../orders/order-rate-limit.config';
import { OrdersController } from '../orders/orders.controller';
import { OrdersService } from '../orders/orders.service';
import { PaymentRefundedHandler } from '../orders/payment-refunded.handler';
import { StockRejectedHandler } from '../orders/stock-rejected.handler';
import { StockReleasedHandler } from '../orders/stock-released.handler';
import { StockReservedHandler } from '../orders/stock-reserved.handler';
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
    OrderProcessedHandler,
    StockReservedHandler,
    StockRejectedHandler,
    StockReleasedHandler,
    PaymentRefundedHandler,
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
