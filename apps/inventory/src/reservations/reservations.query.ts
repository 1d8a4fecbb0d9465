import { IsUUID } from 'class-validator';

export class ReservationsQuery {
  /** The order whose reservation to show. */
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId!: string;
}
