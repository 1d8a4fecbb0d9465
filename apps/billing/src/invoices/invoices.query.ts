import { IsUUID } from 'class-validator';

export class InvoicesQuery {
  /** The order whose invoices to list. */
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId!: string;
}
