import { MoneyResponse } from '@shop/platform';
import { InvoiceStatus } from './invoice.schema';
import { invoiceView } from './invoice.view';

/**
 * An invoice as `GET /invoices` shows it, as a class for the OpenAPI document (the swagger
 * plugin reads `*.response.ts`); `implements` and the controller's return type keep it and
 * the view the same.
 */
export class InvoiceResponse implements ReturnType<typeof invoiceView> {
  invoiceId!: string;
  orderId!: string;
  /** One invoice per OrderPlaced event: the event this one was issued for. */
  orderPlacedEventId!: string;
  customerId!: string;
  amount!: MoneyResponse;
  /** ISSUED, then PAID or PAYMENT_DECLINED. */
  status!: InvoiceStatus;
  createdAt!: string;
  updatedAt!: string;
}
