import { Controller, Get, Query } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { reservationView } from './reservation.view';
import { ReservationsService } from './reservations.service';

class ReservationsQuery {
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId!: string;
}

@Controller('reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  /** What inventory did for an order: an array, empty while it has heard nothing of it. */
  @Get()
  async list(@Query() query: ReservationsQuery) {
    return (await this.reservations.findByOrder(query.orderId)).map(reservationView);
  }
}
