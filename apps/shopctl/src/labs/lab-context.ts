import { setTimeout as sleep } from 'node:timers/promises';
import { Endpoints } from '../cli/endpoints';
import { Output } from '../cli/output';
import { AdminApi } from '../clients/admin-api';
import { BrokerManagement } from '../clients/broker-management';
import { OpsApi } from '../clients/ops-api';
import { Order, ShopApi, TERMINAL_STATUSES } from '../clients/shop-api';
import { LabCheckFailed } from './lab';

/** Everything a lab drives and reads, and the waiting it does. */
export class LabContext {
  readonly shop: ShopApi;
  readonly ops: OpsApi;
  readonly admin: AdminApi;
  readonly broker: BrokerManagement;
  /** Tells this run's customers, orders and raw messages apart from anybody else's. */
  readonly runId = Math.random().toString(36).slice(2, 8);

  constructor(
    readonly endpoints: Endpoints,
    private readonly output: Output,
  ) {
    this.shop = new ShopApi(endpoints);
    this.ops = new OpsApi(endpoints);
    this.admin = new AdminApi(endpoints);
    this.broker = new BrokerManagement(endpoints.managementUrl, endpoints.rabbitmqUrl);
  }

  /** What the lab is doing now, for the room: stderr, so `--json` stays the report alone. */
  step(line: string): void {
    this.output.note(`  · ${line}`);
  }

  customer(name: string): string {
    return `${name}-${this.runId}`;
  }

  /** Polls `probe` until it returns a value, or fails the lab after `timeoutMs`. */
  async waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        lastError = error;
      }
      await sleep(250);
    }
    throw new LabCheckFailed(
      `${what}: not within ${timeoutMs / 1000} s${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
    );
  }

  /** Waits for the order to end CONFIRMED or CANCELLED. */
  async terminal(orderId: string, timeoutMs = 30_000): Promise<Order> {
    return this.waitFor(
      `order ${orderId.slice(0, 8)} reaching CONFIRMED or CANCELLED`,
      async () => {
        const order = await this.shop.order(orderId);
        return TERMINAL_STATUSES.includes(order.status) ? order : undefined;
      },
      timeoutMs,
    );
  }
}
