import { Payment } from './payment.schema';

/** A payment as the API shows it. */
export function paymentView(payment: Payment) {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    invoiceId: payment.invoiceId,
    customerId: payment.customerId,
    status: payment.status,
    amount: { amountCents: payment.amountCents, currency: payment.currency },
    gatewayReference: payment.gatewayReference,
    ...(payment.declineReason ? { declineReason: payment.declineReason } : {}),
    ...(payment.refundReference ? { refundReference: payment.refundReference } : {}),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
