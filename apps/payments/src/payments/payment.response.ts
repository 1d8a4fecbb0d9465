import { MoneyResponse } from '@shop/platform';
import { PaymentStatus } from './payment.schema';

/** A payment as `GET /payments` shows it (a class, for the OpenAPI document). */
export class PaymentResponse {
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
