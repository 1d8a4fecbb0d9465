import { CancellationReason } from '@shop/contracts';
import { MoneyResponse } from '@shop/platform';
import { OrderStatus } from './order-status';
import { OrderPage, OrderView } from './order.view';

// The API's shapes as classes, for the OpenAPI document (tools/api-docs/swagger-plugin.js);
// `implements` and the controllers' return types keep them and the views the same.

export class OrderLineResponse {
  sku!: string;
  quantity!: number;
  unitPrice!: MoneyResponse;
  /** unitPrice × quantity. */
  lineTotal!: MoneyResponse;
}

export class OrderHistoryStepResponse {
  /** The event that touched the order (`OrderPlaced`, `StockReserved`, …) or `DeadlinePassed`. */
  step!: string;
  /** The order's status after this step. */
  status!: OrderStatus;
  /** What the step reported, e.g. `RESERVED` or `REJECTED: SKU-SOLDOUT (requested 1, available 0)`. */
  detail?: string;
  /** The causing event; absent for a step no event caused (DeadlinePassed). */
  eventId?: string;
  at!: string;
}

export class OrderResponse implements OrderView {
  orderId!: string;
  customerId!: string;
  status!: OrderStatus;
  /** Present when the order is CANCELLED. */
  reason?: CancellationReason;
  items!: OrderLineResponse[];
  total!: MoneyResponse;
  createdAt!: string;
  updatedAt!: string;
  /** Every step of the order's saga (on `GET /orders/:orderId`). */
  history?: OrderHistoryStepResponse[];
}

export class OrderPageResponse implements OrderPage<OrderView> {
  items!: OrderResponse[];
  /** Orders matching the filters, counted up to 10,000. */
  total!: number;
  /** True when more orders match than were counted: `total` is then a lower bound. */
  totalIsLowerBound!: boolean;
  limit!: number;
  offset!: number;
}
