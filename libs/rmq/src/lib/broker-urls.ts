/**
 * `RABBITMQ_URL` names one broker, or the nodes of a cluster separated by commas, each a whole
 * URL (`amqp://user:pass@node-1:5672/vhost,amqp://user:pass@node-2:5672/vhost`). Connections
 * try them in turn, so a service reaches whichever node is up.
 */
export function brokerUrls(list: string): string[] {
  const urls = list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (urls.length === 0) throw new Error('no broker URL given');
  return urls;
}

/** The same list, each URL changed alike (another vhost or user, say). */
export function mapBrokerUrls(list: string, change: (url: URL) => void): string {
  return brokerUrls(list)
    .map((each) => {
      const url = new URL(each);
      change(url);
      return url.toString();
    })
    .join(',');
}
