import { z } from 'zod';

/** The largest amount the services store (a PostgreSQL integer). */
export const MAX_AMOUNT_CENTS = 2_147_483_647;

/** Amounts are integer minor units (cents) with an ISO 4217 currency code. */
export const MoneySchema = z.object({
  amountCents: z.number().int().nonnegative().max(MAX_AMOUNT_CENTS),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
});

/** Far above any real order line, and inside the integer columns that store quantities. */
export const MAX_LINE_QUANTITY = 10_000_000;

export const SkuQuantitySchema = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive().max(MAX_LINE_QUANTITY),
});

const eachSkuOnce = (items: Array<{ sku: string }>) =>
  new Set(items.map((item) => item.sku)).size === items.length;

export const OrderLineSchema = SkuQuantitySchema.extend({
  unitPrice: MoneySchema,
});

export const OrderPlacedSchema = z.object({
  orderId: z.uuid(),
  customerId: z.string().min(1),
  items: z.array(OrderLineSchema).min(1).refine(eachSkuOnce, 'each sku may appear once per order'),
  total: MoneySchema,
});

export const StockReservedSchema = z.object({
  orderId: z.uuid(),
  items: z.array(SkuQuantitySchema).min(1).refine(eachSkuOnce, 'each sku may appear once'),
});

export const StockRejectedSchema = z.object({
  orderId: z.uuid(),
  missing: z
    .array(
      z.object({
        sku: z.string().min(1),
        requested: z.number().int().positive(),
        available: z.number().int().nonnegative(),
      }),
    )
    .min(1),
});

export const PaymentRequestedSchema = z.object({
  orderId: z.uuid(),
  invoiceId: z.uuid(),
  customerId: z.string().min(1),
  amount: MoneySchema,
});

export const PaymentCapturedSchema = z.object({
  orderId: z.uuid(),
  invoiceId: z.uuid(),
  paymentId: z.uuid(),
  amount: MoneySchema,
});

export const PaymentDeclinedSchema = z.object({
  orderId: z.uuid(),
  invoiceId: z.uuid(),
  paymentId: z.uuid(),
  reason: z.string().min(1),
});

/** Billing's outcome for an order; the names are the classic `order_processed` statuses. */
export const OrderProcessedStatus = z.enum(['PROCESSED', 'CANCELED_FRAUD', 'PAYMENT_DECLINED']);

export const OrderProcessedSchema = z.object({
  orderId: z.uuid(),
  /** Null when no invoice was issued (fraud). */
  invoiceId: z.uuid().nullable(),
  status: OrderProcessedStatus,
});

export const OrderConfirmedSchema = z.object({
  orderId: z.uuid(),
});

/** TIMEOUT: the saga deadline passed with the order still PENDING (a step was lost on the way). */
export const CancellationReason = z.enum(['FRAUD', 'PAYMENT_DECLINED', 'OUT_OF_STOCK', 'TIMEOUT']);

export const OrderCancelledSchema = z.object({
  orderId: z.uuid(),
  reason: CancellationReason,
});

export const StockReleasedSchema = z.object({
  orderId: z.uuid(),
  items: z.array(SkuQuantitySchema).min(1),
});

/** PaymentRefunded version 1, still accepted: upcast to version 2 on arrival (upcasters.ts). */
export const PaymentRefundedV1Schema = z.object({
  orderId: z.uuid(),
  paymentId: z.uuid(),
  amount: MoneySchema,
});

/**
 * PaymentRefunded version 2 says when payments recorded the refund, right after the gateway
 * confirmed it: a fact of the refund, where the envelope's timestamp is only when the message
 * was written. A new required field, which v1 messages lack: so a new version, not an edit of v1.
 */
export const PaymentRefundedSchema = PaymentRefundedV1Schema.extend({
  refundedAt: z.iso.datetime({ offset: true }),
});

export type Money = z.infer<typeof MoneySchema>;
export type SkuQuantity = z.infer<typeof SkuQuantitySchema>;
export type OrderLine = z.infer<typeof OrderLineSchema>;
export type OrderProcessedStatus = z.infer<typeof OrderProcessedStatus>;
export type CancellationReason = z.infer<typeof CancellationReason>;
export type PaymentRefundedV1 = z.infer<typeof PaymentRefundedV1Schema>;
export type PaymentRefunded = z.infer<typeof PaymentRefundedSchema>;
