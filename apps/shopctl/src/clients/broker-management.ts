import { ManagementApi } from '@shop/provisioning';
import { CliError, ExitCode } from '../cli/exit-codes';
import { BrokerTopology } from '../topology/compare-topologies';

/** The vhost an AMQP URL points into: `/` when it names none. */
export function vhostOf(rabbitmqUrl: string): string {
  const path = new URL(rabbitmqUrl).pathname;
  return path.length > 1 ? decodeURIComponent(path.slice(1)) : '/';
}

/** The broker's management API, scoped to the vhost shopctl's RabbitMQ URL points into. */
export class BrokerManagement {
  private readonly api: ManagementApi;
  private readonly vhost: string;

  constructor(managementUrl: string, rabbitmqUrl: string) {
    this.api = new ManagementApi(managementUrl);
    this.vhost = encodeURIComponent(vhostOf(rabbitmqUrl));
  }

  async topology(): Promise<BrokerTopology> {
    const [exchanges, queues, bindings] = await Promise.all([
      this.get<Array<{ name: string; type: string; durable: boolean }>>(
        `/api/exchanges/${this.vhost}`,
      ),
      this.queues(),
      this.get<
        Array<{
          source: string;
          destination: string;
          destination_type: string;
          routing_key: string;
        }>
      >(`/api/bindings/${this.vhost}`),
    ]);
    return {
      exchanges,
      queues,
      bindings: bindings
        .filter((each) => each.destination_type === 'queue')
        .map((each) => ({
          source: each.source,
          destination: each.destination,
          routingKey: each.routing_key,
        })),
    };
  }

  async queues(): Promise<BrokerTopology['queues']> {
    const queues = await this.get<
      Array<{
        name: string;
        durable: boolean;
        exclusive: boolean;
        auto_delete: boolean;
        arguments: Record<string, unknown>;
        messages?: number;
      }>
    >(`/api/queues/${this.vhost}`);
    return queues.map((each) => ({
      name: each.name,
      durable: each.durable,
      exclusive: each.exclusive,
      autoDelete: each.auto_delete,
      arguments: each.arguments,
      messages: each.messages,
    }));
  }

  /** Every client connection into the vhost (the services', and anybody else's). */
  async connections(): Promise<string[]> {
    const connections = await this.get<Array<{ name: string }>>(
      `/api/vhosts/${this.vhost}/connections`,
    );
    return connections.map((each) => each.name);
  }

  /** Closes a connection as a broker restart would: its client sees the socket drop. */
  async closeConnection(name: string): Promise<void> {
    // 404: it closed by itself meanwhile.
    await this.call('DELETE', `/api/connections/${encodeURIComponent(name)}`, [404]);
  }

  async purge(queue: string): Promise<void> {
    await this.call('DELETE', `/api/queues/${this.vhost}/${encodeURIComponent(queue)}/contents`);
  }

  private async get<T>(path: string): Promise<T> {
    return (await (await this.call('GET', path)).json()) as T;
  }

  private async call(method: string, path: string, okStatuses: number[] = []): Promise<Response> {
    try {
      return await this.api.request(method, path, undefined, okStatuses);
    } catch (error) {
      throw new CliError((error as Error).message, ExitCode.unreachable);
    }
  }
}
