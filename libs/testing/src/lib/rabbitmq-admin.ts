import { ManagementApi } from '@shop/provisioning';
import { testEnv } from './test-env';

export interface QueueStats {
  name: string;
  messages: number;
  messagesReady: number;
  messagesUnacknowledged: number;
  consumers: number;
}

export interface PeekedMessage {
  payload: string;
  routingKey: string;
  properties: {
    message_id?: string;
    type?: string;
    correlation_id?: string;
    headers?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

/** The RabbitMQ management HTTP API: vhosts for isolation, queue stats and peeks for assertions. */
export class RabbitAdmin extends ManagementApi {
  constructor(managementUrl = testEnv.rabbitmqManagementUrl) {
    super(managementUrl);
  }

  async createVhost(vhost: string, user = 'guest'): Promise<void> {
    await this.request('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
    await this.request(
      'PUT',
      `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`,
      {
        configure: '.*',
        write: '.*',
        read: '.*',
      },
    );
  }

  async deleteVhost(vhost: string): Promise<void> {
    await this.request('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`, undefined, [404]);
  }

  async queue(vhost: string, queue: string): Promise<QueueStats | null> {
    const response = await this.request(
      'GET',
      `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`,
      undefined,
      [404],
    );
    if (response.status === 404) return null;
    const body = (await response.json()) as Record<string, number | string>;
    return {
      name: String(body['name']),
      messages: Number(body['messages'] ?? 0),
      messagesReady: Number(body['messages_ready'] ?? 0),
      messagesUnacknowledged: Number(body['messages_unacknowledged'] ?? 0),
      consumers: Number(body['consumers'] ?? 0),
    };
  }

  async deleteQueue(vhost: string, queue: string): Promise<void> {
    await this.request(
      'DELETE',
      `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`,
      undefined,
      [404],
    );
  }

  async queueNames(vhost: string): Promise<string[]> {
    const response = await this.request(
      'GET',
      `/api/queues/${encodeURIComponent(vhost)}?columns=name`,
    );
    return ((await response.json()) as Array<{ name: string }>).map((queue) => queue.name).sort();
  }

  async bindings(
    vhost: string,
    queue: string,
  ): Promise<Array<{ source: string; routing_key: string }>> {
    const response = await this.request(
      'GET',
      `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}/bindings`,
    );
    return (await response.json()) as Array<{ source: string; routing_key: string }>;
  }

  /** Binds a queue to an exchange (a binding removed by `unbind` comes back this way). */
  async bind(vhost: string, exchange: string, queue: string, routingKey: string): Promise<void> {
    await this.request(
      'POST',
      `/api/bindings/${encodeURIComponent(vhost)}/e/${encodeURIComponent(exchange)}/q/${encodeURIComponent(queue)}`,
      { routing_key: routingKey, arguments: {} },
    );
  }

  /** Declares a queue as someone in the management UI would, with whatever arguments. */
  async declareQueue(
    vhost: string,
    queue: string,
    args: Record<string, string | number>,
  ): Promise<void> {
    await this.request(
      'PUT',
      `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`,
      { durable: true, auto_delete: false, arguments: args },
    );
  }

  /**
   * Removes a queue's binding for one routing key, so the queue stops receiving those
   * messages: a step of the saga goes missing, the way a misconfigured broker loses it.
   */
  async unbind(vhost: string, exchange: string, queue: string, routingKey: string): Promise<void> {
    const path = `/api/bindings/${encodeURIComponent(vhost)}/e/${encodeURIComponent(exchange)}/q/${encodeURIComponent(queue)}`;
    const response = await this.request('GET', path);
    const bindings = (await response.json()) as Array<{
      routing_key: string;
      properties_key: string;
    }>;
    const matching = bindings.filter((binding) => binding.routing_key === routingKey);
    if (matching.length === 0) {
      throw new Error(`${queue} is not bound to ${exchange} with ${routingKey}`);
    }
    for (const binding of matching) {
      await this.request('DELETE', `${path}/${encodeURIComponent(binding.properties_key)}`);
    }
  }

  /**
   * Client connections to a vhost, with the name a client gave itself (`connection_name`).
   * The management API lists a new connection only after its next statistics tick (about 5 s).
   */
  async connections(vhost: string): Promise<Array<{ name: string; clientName?: string }>> {
    const response = await this.request(
      'GET',
      `/api/vhosts/${encodeURIComponent(vhost)}/connections?columns=name,client_properties`,
    );
    const connections = (await response.json()) as Array<{
      name: string;
      client_properties?: { connection_name?: string };
    }>;
    return connections.map((connection) => ({
      name: connection.name,
      clientName: connection.client_properties?.connection_name,
    }));
  }

  /** Closes a client connection from the broker side, as the management UI's "Force Close" does. */
  async closeConnection(name: string): Promise<void> {
    await this.request('DELETE', `/api/connections/${encodeURIComponent(name)}`, undefined, [404]);
  }

  /** A policy applies to the queues whose names match `pattern`, on top of their arguments. */
  async setPolicy(
    vhost: string,
    name: string,
    pattern: string,
    definition: Record<string, string | number>,
  ): Promise<void> {
    await this.request(
      'PUT',
      `/api/policies/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`,
      { pattern, definition, 'apply-to': 'queues', priority: 10 },
    );
  }

  async deletePolicy(vhost: string, name: string): Promise<void> {
    await this.request(
      'DELETE',
      `/api/policies/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`,
      undefined,
      [404],
    );
  }

  /** Reads up to `count` messages and puts them back (requeue), for assertions only. */
  async peek(vhost: string, queue: string, count = 100): Promise<PeekedMessage[]> {
    const response = await this.request(
      'POST',
      `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}/get`,
      {
        count,
        ackmode: 'ack_requeue_true',
        encoding: 'auto',
        truncate: 1_000_000,
      },
    );
    const messages = (await response.json()) as Array<{
      payload: string;
      routing_key: string;
      properties: PeekedMessage['properties'];
    }>;
    return messages.map((message) => ({
      payload: message.payload,
      routingKey: message.routing_key,
      properties: message.properties,
    }));
  }

  /** Publishes through the management API (handy to inject raw, even malformed, bytes). */
  async publish(
    vhost: string,
    exchange: string,
    routingKey: string,
    payload: string,
    properties: Record<string, unknown> = {},
  ) {
    const name = exchange === '' ? 'amq.default' : exchange;
    const response = await this.request(
      'POST',
      `/api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}/publish`,
      {
        properties: { delivery_mode: 2, ...properties },
        routing_key: routingKey,
        payload,
        payload_encoding: 'string',
      },
    );
    const body = (await response.json()) as { routed: boolean };
    if (!body.routed)
      throw new Error(`message to ${exchange || '(default)'}/${routingKey} was not routed`);
  }
}
