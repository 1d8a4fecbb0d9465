import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { hostname } from 'node:os';
import { brokerUrls } from './broker-urls';
import { RMQ_OPTIONS, RmqOptions } from './rmq.options';

/**
 * Publishing and consuming use separate connections: a memory or disk alarm blocks every
 * connection that publishes, and acks sent on a blocked connection would wait too, so the
 * consumer could not drain the very queues that caused the alarm.
 */
export type ConnectionRole = 'publish' | 'consume';

const ROLES: ConnectionRole[] = ['publish', 'consume'];

/** Wait before re-trying a channel whose setup failed: doubles per failure, up to the cap. */
const SETUP_RETRY_FIRST_MS = 1_000;
const SETUP_RETRY_MAX_MS = 30_000;

interface ChannelState {
  role: ConnectionRole;
  settingUp: boolean;
  failures: number;
  retryTimer?: NodeJS.Timeout;
}

/**
 * Two AMQP connections per process (publish, consume) that heal themselves: after a broker
 * restart they reconnect, and every channel re-runs its setup (topology, prefetch, consumers).
 * A channel whose setup fails is retried with backoff, and says why in `problems()`.
 */
@Injectable()
export class RmqConnection implements OnApplicationShutdown {
  private readonly log = new Logger(RmqConnection.name);
  private readonly managers: Record<ConnectionRole, AmqpConnectionManager>;
  private readonly channels = new Map<string, ChannelState>();
  /** Last setup error per channel name, until a setup succeeds. */
  private readonly setupFailures = new Map<string, string>();
  /** Setup errors already reported, so the channel wrapper's own 'error' event is not reported twice. */
  private readonly reported = new WeakSet<object>();
  private closed = false;

  constructor(@Inject(RMQ_OPTIONS) options: RmqOptions) {
    this.managers = {
      publish: this.connect(options, 'publish'),
      consume: this.connect(options, 'consume'),
    };
  }

  /** Both connections by default, or the one named. */
  isConnected(role?: ConnectionRole): boolean {
    return (role ? [role] : ROLES).every((each) => this.managers[each].isConnected());
  }

  /** The channel's last setup error, while its setup keeps failing. */
  setupFailureOf(channel: string): string | undefined {
    return this.setupFailures.get(channel);
  }

  /** What keeps RabbitMQ from working for this service right now; empty when all is well. */
  problems(): string[] {
    return [
      ...ROLES.filter((role) => !this.managers[role].isConnected()).map(
        (role) => `${role} connection is down`,
      ),
      ...[...this.setupFailures].map(([channel, error]) => `channel ${channel}: ${error}`),
    ];
  }

  /**
   * A channel whose `setup` runs on every (re)connect of its connection. A channel-level error
   * after setup (which closes only that channel, and which the connection manager would not
   * recover) forces a reconnect at once; a failed setup forces one after a growing pause, so a
   * queue that cannot be declared is retried without a tight loop.
   */
  createChannel(
    role: ConnectionRole,
    name: string,
    setup: (channel: ConfirmChannel) => Promise<void>,
  ): ChannelWrapper {
    const state: ChannelState = { role, settingUp: false, failures: 0 };
    this.channels.set(name, state);
    const wrapper = this.managers[role].createChannel({
      name,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        state.settingUp = true;
        channel.on('error', (error: Error) => {
          // During setup the failed step rejects too, and is handled below with backoff.
          if (this.closed || state.settingUp) return;
          this.log.error(`channel ${name} failed (${error.message}); reconnecting`);
          setImmediate(() => this.forceReconnect(role));
        });
        try {
          await setup(channel);
          state.failures = 0;
          this.setupFailures.delete(name);
        } catch (error) {
          this.onSetupFailed(name, state, error);
          throw error;
        } finally {
          state.settingUp = false;
        }
      },
    });
    // Without a listener, an 'error' event from the wrapper (a setup failing on reconnect, a
    // channel that cannot be opened) would crash the process.
    wrapper.on('error', (error: unknown) => {
      if (typeof error === 'object' && error !== null && this.reported.has(error)) return;
      this.onSetupFailed(name, state, error);
    });
    return wrapper;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const state of this.channels.values()) clearTimeout(state.retryTimer);
    await Promise.all(ROLES.map((role) => this.managers[role].close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Drops and re-opens one connection; each of its channels then re-runs its setup. */
  forceReconnect(role: ConnectionRole): void {
    const manager = this.managers[role];
    if (this.closed || !manager.isConnected()) return;
    try {
      manager.reconnect();
    } catch (error) {
      this.log.error(`reconnect of the ${role} connection failed: ${(error as Error).message}`);
    }
  }

  private onSetupFailed(name: string, state: ChannelState, error: unknown): void {
    if (typeof error === 'object' && error !== null) this.reported.add(error);
    if (this.closed) return;
    const message = (error as Error)?.message ?? String(error);
    this.setupFailures.set(name, message);
    state.failures++;
    const delayMs = Math.min(SETUP_RETRY_MAX_MS, SETUP_RETRY_FIRST_MS * 2 ** (state.failures - 1));
    this.log.error(
      `channel ${name} cannot be set up (${message}); reconnecting the ${state.role} connection in ${delayMs} ms`,
    );
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(() => this.forceReconnect(state.role), delayMs);
    state.retryTimer.unref();
  }

  /**
   * With several URLs (a cluster's nodes), a lost or refused connection moves on to the next
   * node; channels then re-run their setup there, so consumers re-subscribe on a node that is
   * up, and the broker serves them from wherever each quorum queue's leader now is.
   */
  private connect(options: RmqOptions, role: ConnectionRole): AmqpConnectionManager {
    const urls = startingAnywhere(brokerUrls(options.url));
    const manager = amqp.connect(urls, {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: {
        // Without it, Nagle's algorithm holds small frames (a publish is three) for the
        // broker's delayed ACK: about 40 ms added to every hop.
        noDelay: true,
        keepAlive: true,
        // Shown in the management UI's Connections tab, e.g. "billing@host:42 (consume)".
        clientProperties: {
          connection_name: `${options.service}@${hostname()}:${process.pid} (${role})`,
        },
      },
    });
    const at = (url: unknown) =>
      `${typeof url === 'string' ? redactUrl(url) : urls.map(redactUrl).join(',')} (${role})`;
    let current = urls[0];
    manager.on('connect', ({ url }) => {
      current = typeof url === 'string' ? url : current;
      this.log.log(`connected to RabbitMQ at ${at(current)}`);
    });
    manager.on('disconnect', ({ err }) => {
      if (this.closed) return;
      const next = urls.length > 1 ? ' (trying every node in RABBITMQ_URL)' : '';
      this.log.warn(
        `lost RabbitMQ connection ${at(current)} (${err?.message ?? 'closed'}); reconnecting${next}`,
      );
    });
    manager.on('connectFailed', ({ err, url }) =>
      this.log.warn(`cannot reach RabbitMQ at ${at(url)} (${err?.message}); retrying`),
    );
    manager.on('blocked', ({ reason }) =>
      this.log.warn(`RabbitMQ blocked the ${role} connection: ${reason}`),
    );
    manager.on('unblocked', () => this.log.log(`RabbitMQ unblocked the ${role} connection`));
    return manager;
  }
}

/** The same nodes, from a random one on: the processes' connections spread over a cluster. */
function startingAnywhere(urls: string[]): string[] {
  const first = Math.floor(Math.random() * urls.length);
  return [...urls.slice(first), ...urls.slice(0, first)];
}

/** The URL without its password; a comma-separated list of URLs, each without. */
export function redactUrl(url: string): string {
  if (url.includes(',')) return url.split(',').map(redactUrl).join(',');
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
