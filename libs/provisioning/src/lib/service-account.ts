/** Who a service is on the broker and in PostgreSQL: read from the URLs it is given. */
export interface ServiceAccount {
  service: string;
  username: string;
  password: string;
}

/** The user and password of a `amqp://` or `postgres://` URL, decoded. */
export function accountOf(service: string, url: string): ServiceAccount {
  const parsed = new URL(url);
  return {
    service,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** The vhost an AMQP URL names (`/` when it names none). */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname.replace(/^\//, '');
  return path === '' ? '/' : decodeURIComponent(path);
}

/** The database a PostgreSQL URL names. */
export function databaseOf(postgresUrl: string): string {
  const name = decodeURIComponent(new URL(postgresUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error('the database URL names no database');
  return name;
}
