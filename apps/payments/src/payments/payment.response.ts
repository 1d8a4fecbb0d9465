import { MoneyResponse } from '@shop/platform';
import { PaymentStatus } from './payment.schema';
import { paymentView } from './payment.view';

/**
 * A payment as `GET /payments` shows it, as a class for the OpenAPI document (the swagger
 * plugin reads `*.response.ts`); `implements` and the controller's return type keep it and
 * the view the same.
 */
export class PaymentResponse implements ReturnType<typeof paymentView> {
  paymentId!: string;
  orderId!: string;
  invoiceId!: string;
  customerId!: string;
  /** CAPTURED or DECLINED, then REFUNDED if a captured order is cancelled. */
  status!: PaymentStatus;
  amount!: MoneyResponse;
  /** The gateway's charge id; null when the gateway was never asked. */
  gatewayReference!: string | null;
  /** Present when DECLINED. */
  declineReason?: string;
  /** Present when REFUNDED: the gateway's refund id. */
  refundReference?: string;
  createdAt!: string;
  updatedAt!: string;
}
