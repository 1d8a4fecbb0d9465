import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { ProductsController } from '../products/products.controller';
import { ProductsService } from '../products/products.service';
import { CommitStockOnOrderConfirmed } from '../reservations/commit-stock-on-order-confirmed.handler';
import { ReleaseStockOnOrderCancelled } from '../reservations/release-stock-on-order-cancelled.handler';
import { ReservationsController } from '../reservations/reservations.controller';
import { ReservationsService } from '../reservations/reservations.service';
import { ReserveStockOnOrderPlaced } from '../reservations/reserve-stock-on-order-placed.handler';
import { SERVICE_NAME } from './service-name';

@Module({
  imports: [
    ServicePlatformModule.forRoot({
      service: SERVICE_NAME,
      defaultPort: 3003,
      migrationsFolder: MIGRATIONS_FOLDER,
    }),
  ],
  controllers: [
    ProductsController,
    ReservationsController,
    ReserveStockOnOrderPlaced,
    ReleaseStockOnOrderCancelled,
    CommitStockOnOrderConfirmed,
  ],
  providers: [ProductsService, ReservationsService],
})
export class AppModule {}
