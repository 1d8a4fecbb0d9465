import { createServer, connect, Server, Socket } from 'node:net';

export interface TcpTarget {
  host: string;
  port: number;
}

/**
 * A TCP proxy in front of a real server (PostgreSQL, RabbitMQ): point a service at it, then
 * `cut()` the network to simulate an outage without touching the shared server. The server
 * stays up; only this path to it breaks.
 */
export class TcpProxy {
  private readonly open = new Set<Socket>();
  private readonly server: Server;
  private isCut = false;

  private constructor(private readonly target: TcpTarget) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(target: TcpTarget): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('the proxy is not listening');
    return address.port;
  }

  /** A proxy in front of the host and port of a URL (postgres://…, amqp://…). */
  static forUrl(url: string, defaultPort: number): Promise<TcpProxy> {
    const parsed = new URL(url);
    return TcpProxy.start({
      host: parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname,
      port: Number(parsed.port || defaultPort),
    });
  }

  /** The same URL, through this proxy. */
  urlThrough(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get connections(): number {
    return this.open.size / 2;
  }

  /** Resets every open connection and every new one, until `restore()`. */
  cut(): void {
    this.isCut = true;
    for (const socket of this.open) socket.resetAndDestroy();
    this.open.clear();
  }

  restore(): void {
    this.isCut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.isCut) {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.open.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.open.delete(from);
        to.destroy();
      });
    }
  }
}
