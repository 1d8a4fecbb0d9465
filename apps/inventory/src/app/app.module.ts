import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { ProductsController } from '../products/products.controller';
import { ProductsService } from '../products/products.service';
import { OrderCancelledHandler } from '../reservations/order-cancelled.handler';
import { OrderConfirmedHandler } from '../reservations/order-confirmed.handler';
import { OrderPlacedHandler } from '../reservations/order-placed.handler';
import { ReservationsController } from '../reservations/reservations.controller';
import { ReservationsService } from '../reservations/reservations.service';
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
    OrderPlacedHandler,
    OrderCancelledHandler,
    OrderConfirmedHandler,
  ],
  providers: [ProductsService, ReservationsService],
})
export class AppModule {}
