import { SkuQuantity } from '@shop/contracts';
import { ServiceProcess, TestSystem, waitFor } from '@shop/testing';

// What the services answer over HTTP, as the tests read it: one declaration per response.

export interface Money {
  amountCents: number;
  currency: string;
}
export interface HistoryStep {
  step: string;
  status: string;
  detail?: string;
  /** Absent for a step no event caused (DeadlinePassed). */
  eventId?: string;
  at: string;
}
export interface Order {
  orderId: string;
  customerId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  reason?: string;
  total: Money;
  history: HistoryStep[];
}
/** `GET /orders`: its orders come without their history. */
export interface OrderPage {
  items: Array<Omit<Order, 'history'>>;
  total: number;
  totalIsLowerBound: boolean;
  limit: number;
  offset: number;
}
export interface Invoice {
  invoiceId: string;
  orderId: string;
  orderPlacedEventId: string;
  status: string;
  amount: Money;
}
export interface Payment {
  paymentId: string;
  orderId: string;
  invoiceId: string;
  status: 'CAPTURED' | 'DECLINED' | 'REFUNDED';
  amount: Money;
  gatewayReference: string;
  declineReason?: string;
  createdAt: string;
  updatedAt: string;
}
export interface Reservation {
  orderId: string;
  status: string;
  items: SkuQuantity[];
  cancelReason: string | null;
}
export interface Product {
  sku: string;
  name: string;
  stock: number;
}
/** What any service answers to a request it refuses (400, 404, 422, ...). */
export interface ErrorBody {
  statusCode: number;
  message: string | string[];
}
/** `GET /health/ready` of any service: each check, and why when it is down. */
export interface Readiness {
  status: string;
  details: Record<
    string,
    {
      status: string;
      circuit?: string;
      reason?: string;
      message?: string;
      publishing?: boolean;
      [detail: string]: unknown;
    }
  >;
}

/** The system driven the way a person would: HTTP in, state read back over HTTP. */
export class ShopClient {
  constructor(private readonly system: TestSystem) {}

  private get orders(): ServiceProcess {
    return this.system.service('orders');
  }

  async placeOrder(
    customerId: string,
    items: Array<{ sku: string; quantity: number }>,
  ): Promise<Order> {
    const response = await this.orders.post<Order>('/orders', { customerId, items });
    if (response.status !== 201)
      throw new Error(`POST /orders: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async order(orderId: string): Promise<Order> {
    return (await this.orders.get<Order>(`/orders/${orderId}`)).body;
  }

  async waitForStatus(
    orderId: string,
    status: Order['status'],
    timeoutMs = 30_000,
  ): Promise<Order> {
    return waitFor(
      () => this.order(orderId),
      (order) => order.status === status,
      { timeoutMs, description: `order ${orderId} to be ${status}` },
    );
  }

  /** Waits until the order's history holds a step (compensation arrives after the status). */
  async waitForStep(orderId: string, step: string, timeoutMs = 30_000): Promise<Order> {
    return waitFor(
      () => this.order(orderId),
      (order) => order.history.some((entry) => entry.step === step),
      { timeoutMs, description: `order ${orderId} history to show ${step}` },
    );
  }

  async invoices(orderId: string): Promise<Invoice[]> {
    return (await this.system.service('billing').get<Invoice[]>(`/invoices?orderId=${orderId}`))
      .body;
  }

  async payments(orderId: string): Promise<Payment[]> {
    return (await this.system.service('payments').get<Payment[]>(`/payments?orderId=${orderId}`))
      .body;
  }

  async reservations(orderId: string): Promise<Reservation[]> {
    return (
      await this.system.service('inventory').get<Reservation[]>(`/reservations?orderId=${orderId}`)
    ).body;
  }

  async stock(sku: string): Promise<number> {
    return (await this.system.service('inventory').get<Product>(`/products/${sku}`)).body.stock;
  }
}
