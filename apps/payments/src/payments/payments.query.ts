import { IsUUID } from 'class-validator';

export class PaymentsQuery {
  /** The order whose payments to list. */
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId!: string;
}
