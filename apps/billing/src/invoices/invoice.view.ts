import { Invoice } from './invoice.schema';

/** An invoice as the API shows it. */
export function invoiceView(invoice: Invoice) {
  return {
    invoiceId: invoice.id,
    orderId: invoice.orderId,
    orderPlacedEventId: invoice.orderPlacedEventId,
    customerId: invoice.customerId,
    amount: { amountCents: invoice.amountCents, currency: invoice.currency },
    status: invoice.status,
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
  };
}
