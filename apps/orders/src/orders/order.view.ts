import { CancellationReason, Money } from '@shop/contracts';
import { OrderHistoryRow, OrderItemRow, OrderRow } from './order.schema';
import { OrderStatus } from './order-status';

/** An order as stored: its row, its items and, when one order is read, its history. */
export interface OrderRecord {
  order: OrderRow;
  items: OrderItemRow[];
  history?: OrderHistoryRow[];
}

/** A page of `GET /orders`: records from the service, views in the response. */
export interface OrderPage<Item = OrderRecord> {
  items: Item[];
  /** Orders matching the filters, counted up to MAX_COUNTED_ORDERS (orders.service.ts). */
  total: number;
  /** True when more orders match than were counted: `total` is then a lower bound. */
  totalIsLowerBound: boolean;
  limit: number;
  offset: number;
}

/** An order as the API shows it. */
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  /** Present when the order is CANCELLED. */
  reason?: CancellationReason;
  items: Array<{ sku: string; quantity: number; unitPrice: Money; lineTotal: Money }>;
  total: Money;
  createdAt: string;
  updatedAt: string;
  history?: Array<{
    step: string;
    status: OrderStatus;
    detail?: string;
    /** Absent for a step no event caused (DeadlinePassed). */
    eventId?: string;
    at: string;
  }>;
}

export function orderView({ order, items, history }: OrderRecord): OrderView {
  const money = (amountCents: number): Money => ({ amountCents, currency: order.currency });
  return {
    orderId: order.id,
    customerId: order.customerId,
    status: order.status,
    ...(order.status === 'CANCELLED' && order.cancelReason ? { reason: order.cancelReason } : {}),
    items: [...items]
      .sort((a, b) => a.sku.localeCompare(b.sku))
      .map((item) => ({
        sku: item.sku,
        quantity: item.quantity,
        unitPrice: money(item.unitPriceCents),
        lineTotal: money(item.unitPriceCents * item.quantity),
      })),
    total: money(order.totalCents),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    ...(history
      ? {
          history: history.map((step) => ({
            step: step.step,
            status: step.status,
            ...(step.detail ? { detail: step.detail } : {}),
            ...(step.eventId ? { eventId: step.eventId } : {}),
            at: step.at.toISOString(),
          })),
        }
      : {}),
  };
}

export function orderPageView(page: OrderPage): OrderPage<OrderView> {
  return { ...page, items: page.items.map(orderView) };
}
