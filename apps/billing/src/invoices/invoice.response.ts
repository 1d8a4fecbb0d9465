import { MoneyResponse } from '@shop/platform';

/** An invoice as `GET /invoices` shows it (a class, for the OpenAPI document). */
export class InvoiceResponse {
  invoiceId!: string;
  orderId!: string;
  /** One invoice per OrderPlaced event: the event this one was issued for. */
  orderPlacedEventId!: string;
  customerId!: string;
  amount!: MoneyResponse;
  /** ISSUED, then PAID or PAYMENT_DECLINED. */
  status!: string;
  createdAt!: string;
  updatedAt!: string;
}
