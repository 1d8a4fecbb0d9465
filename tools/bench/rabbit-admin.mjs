// The few RabbitMQ management API calls the bench needs: its own vhost, and the broker version.

export function rabbitAdmin(managementUrl) {
  const url = new URL(managementUrl);
  const authorization = `Basic ${Buffer.from(
    `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
  ).toString('base64')}`;
  const user = decodeURIComponent(url.username) || 'guest';
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/$/, '');

  async function request(method, path, body, okStatuses = []) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok && !okStatuses.includes(response.status)) {
      throw new Error(
        `RabbitMQ management ${method} ${path}: ${response.status} ${await response.text()}`,
      );
    }
    return response;
  }

  const vhostPath = (vhost) => `/api/vhosts/${encodeURIComponent(vhost)}`;

  return {
    /** Deleted first: a previous run's queues could still hold messages for databases now gone. */
    async recreateVhost(vhost) {
      await request('DELETE', vhostPath(vhost), undefined, [404]);
      await request('PUT', vhostPath(vhost));
      await request(
        'PUT',
        `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`,
        { configure: '.*', write: '.*', read: '.*' },
      );
    },
    async overview() {
      return (await request('GET', '/api/overview')).json();
    },
  };
}

/** The AMQP URL of another vhost on the same broker. */
export function vhostUrl(amqpUrl, vhost) {
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}
