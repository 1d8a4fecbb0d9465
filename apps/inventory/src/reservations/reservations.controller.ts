import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import { ReservationResponse } from './reservation.response';
import { reservationView } from './reservation.view';
import { ReservationsQuery } from './reservations.query';
import { ReservationsService } from './reservations.service';

@Controller('reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  /** What inventory did for an order: an array, empty while it has heard nothing of it. */
  @Get()
  @ApiBadRequestResponse({ description: 'orderId is missing or not a UUID' })
  async list(@Query() query: ReservationsQuery): Promise<ReservationResponse[]> {
    return (await this.reservations.findByOrder(query.orderId)).map(reservationView);
  }
}
