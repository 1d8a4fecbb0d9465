import { validateEvent } from '@shop/contracts';
import { ServiceName, TestSystem } from './test-system';

export interface FinalOrder {
  status: string;
  reason: string | null;
}

/**
 * What the whole-system suites (chaos, cluster) read back after a run, from the services'
 * databases, metrics and DLQs, to check that nothing was lost or done twice.
 */
export class SystemChecks {
  constructor(
    private readonly system: TestSystem,
    private readonly services: ServiceName[],
  ) {}

  async finalOrders(): Promise<Map<string, FinalOrder>> {
    const rows = await this.system.db('orders').query<{
      id: string;
      status: string;
      cancel_reason: string | null;
    }>('SELECT id, status, cancel_reason FROM orders');
    return new Map(rows.map((row) => [row.id, { status: row.status, reason: row.cancel_reason }]));
  }

  /** `sql` selects `key` and `n`. */
  async countBy(service: ServiceName, sql: string): Promise<Map<string, number>> {
    const rows = await this.system.db(service).query<{ key: string; n: number }>(sql);
    return new Map(rows.map((row) => [row.key, Number(row.n)]));
  }

  async stockLevels(): Promise<Map<string, number>> {
    return this.countBy('inventory', 'SELECT sku AS key, stock AS n FROM products');
  }

  /** Outbox rows not yet published, over every service. */
  async outboxBacklog(): Promise<number> {
    let backlog = 0;
    for (const service of this.services) {
      const [row] = await this.system
        .db(service)
        .query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      backlog += Number(row.n);
    }
    return backlog;
  }

  /** A metric summed over the services, each over its running instances. */
  async metricTotal(metric: string, labels: Record<string, string> = {}): Promise<number> {
    const perService = await this.metricPerService(metric, labels);
    return Object.values(perService).reduce((sum, value) => sum + value, 0);
  }

  async metricPerService(
    metric: string,
    labels: Record<string, string> = {},
  ): Promise<Record<string, number>> {
    const values = await Promise.all(
      this.services.map((service) => this.system.metric(service, metric, labels)),
    );
    return Object.fromEntries(this.services.map((service, i) => [service, values[i]]));
  }

  /** Deliveries the inboxes recognised as already handled. */
  duplicatesAbsorbed(): Promise<number> {
    return this.metricTotal('shop_messages_duplicate_total');
  }

  /** What the services' DLQs hold: valid events (a lost order step) and anything else. */
  async deadLetters(): Promise<{ valid: string[]; invalid: number }> {
    const valid: string[] = [];
    let invalid = 0;
    for (const service of this.services) {
      for (const message of await this.system.broker.admin.peek(
        this.system.broker.vhost,
        `${service}.dlq`,
        500,
      )) {
        let decoded: unknown;
        try {
          decoded = JSON.parse(message.payload);
        } catch {
          invalid++;
          continue;
        }
        if (validateEvent(decoded).outcome === 'valid') {
          valid.push(
            `${service}.dlq: ${message.properties.type} (${String(message.properties.headers?.['x-error-message'])})`,
          );
        } else {
          invalid++;
        }
      }
    }
    return { valid, invalid };
  }
}
