import { Endpoints, ServiceName, serviceUrl } from '../cli/endpoints';
import { callJson } from './http-api';
import { seriesTotal } from './prometheus-text';

export const TERMINAL_STATUSES = ['CONFIRMED', 'CANCELLED'];

export interface Order {
  orderId: string;
  status: string;
  cancellationReason?: string | null;
}

/** The shop's own HTTP APIs: place and read orders, read invoices, payments and metrics. */
export class ShopApi {
  constructor(private readonly endpoints: Endpoints) {}

  placeOrder(customerId: string, items = [{ sku: 'SKU-0001', quantity: 1 }]): Promise<Order> {
    return callJson<Order>(`${this.url('orders')}/orders`, {
      method: 'POST',
      body: { customerId, items },
    });
  }

  order(orderId: string): Promise<Order> {
    return callJson<Order>(`${this.url('orders')}/orders/${orderId}`);
  }

  invoices(orderId: string): Promise<unknown[]> {
    return callJson<unknown[]>(`${this.url('billing')}/invoices?orderId=${orderId}`);
  }

  reservations(orderId: string): Promise<unknown[]> {
    return callJson<unknown[]>(`${this.url('inventory')}/reservations?orderId=${orderId}`);
  }

  payments(orderId: string): Promise<Array<{ status: string }>> {
    return callJson(`${this.url('payments')}/payments?orderId=${orderId}`);
  }

  /** A counter or gauge summed over matching series, on one instance. */
  async metric(
    service: ServiceName,
    name: string,
    labels: Record<string, string> = {},
    instance = 0,
  ): Promise<number> {
    const url = `${serviceUrl(this.endpoints, service, instance)}/metrics`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return seriesTotal(await response.text(), name, labels);
  }

  private url(service: ServiceName): string {
    return serviceUrl(this.endpoints, service);
  }
}
