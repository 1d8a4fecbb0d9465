/**
 * The RabbitMQ management HTTP API, for what AMQP cannot do: vhosts, users and permissions.
 * Credentials come from the URL (`http://admin:secret@host:15672`) and are never printed.
 */
export class ManagementApi {
  private readonly base: string;
  private readonly authorization: string;

  constructor(managementUrl: string) {
    const url = new URL(managementUrl);
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
    this.base = url.toString().replace(/\/$/, '');
  }

  /** Where it points, without credentials: safe for logs. */
  get address(): string {
    return this.base;
  }

  async putVhost(vhost: string): Promise<void> {
    await this.request('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
  }

  /** Creates the user, or sets its password if it exists. No tags: no management UI access. */
  async putUser(username: string, password: string): Promise<void> {
    await this.request('PUT', `/api/users/${encodeURIComponent(username)}`, {
      password,
      tags: '',
    });
  }

  async deleteUser(username: string): Promise<void> {
    await this.request('DELETE', `/api/users/${encodeURIComponent(username)}`, undefined, [404]);
  }

  async putPermissions(
    vhost: string,
    username: string,
    permissions: { configure: string; write: string; read: string },
  ): Promise<void> {
    await this.request(
      'PUT',
      `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(username)}`,
      permissions,
    );
  }

  /** Replaces the user's topic permissions in the vhost with exactly these. */
  async replaceTopicPermissions(
    vhost: string,
    username: string,
    topics: Array<{ exchange: string; write: string; read: string }>,
  ): Promise<void> {
    const path = `/api/topic-permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(username)}`;
    await this.request('DELETE', path, undefined, [404]);
    for (const topic of topics) await this.request('PUT', path, topic);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    okStatuses: number[] = [],
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the RabbitMQ management API at ${this.base} (is the rabbitmq_management plugin enabled?): ${(error as Error).message}`,
      );
    }
    if (!response.ok && !okStatuses.includes(response.status)) {
      throw new Error(
        `RabbitMQ management ${method} ${path} failed: ${response.status} ${await response.text()}`,
      );
    }
    return response;
  }
}
