import { Logger } from '@nestjs/common';
import { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { RmqConnection } from './rmq-connection';
import { declareTopology, ServiceTopology } from './topology';

/** The consume channel's name, in logs and in `RmqConnection.problems()`. */
export const CONSUMER_CHANNEL = 'consumer';

export type ConsumerStatus =
  | { state: 'consuming' }
  /** Stopped on purpose, by the circuit breaker. */
  | { state: 'paused' }
  /** Stopped for good: the process is shutting down. */
  | { state: 'stopped' }
  | { state: 'not-consuming'; reason: string };

type Wanted = 'consuming' | 'paused' | 'stopped';

export interface QueueConsumerSettings {
  queue: string;
  /** Names the channel in logs and `RmqConnection.problems()`; default `consumer`. */
  channelName?: string;
  prefetch: number;
  /** Declared on every (re)connect, before consuming. */
  topology: ServiceTopology;
  onDelivery(channel: ConfirmChannel, message: ConsumeMessage): void;
}

/**
 * Consumes one queue on the consume connection. On every (re)connect it declares the topology
 * and subscribes; it pauses and resumes on request (the circuit breaker); and when the broker
 * cancels it (its queue was deleted) it declares the topology again and re-subscribes.
 */
export class QueueConsumer {
  private readonly log = new Logger(QueueConsumer.name);
  private wrapper?: ChannelWrapper;
  private channel?: ConfirmChannel;
  private consumerTag?: string;
  private wanted: Wanted = 'consuming';
  /** Subscription changes run one at a time, in the order they were asked for. */
  private changes: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: RmqConnection,
    private readonly settings: QueueConsumerSettings,
  ) {}

  /** Opens the channel; resolves once consuming, rejects if the first setup fails. */
  async start(): Promise<void> {
    let first = true;
    let firstSetupFailed: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (firstSetupFailed = reject));
    this.wrapper = this.connection.createChannel('consume', this.channelName, async (channel) => {
      try {
        await this.setUp(channel);
      } catch (error) {
        if (first) firstSetupFailed(error);
        throw error;
      } finally {
        first = false;
      }
    });
    await Promise.race([this.wrapper.waitForConnect(), failed]);
  }

  pause(): Promise<void> {
    return this.want('paused');
  }

  resume(): Promise<void> {
    return this.want('consuming');
  }

  /** No more deliveries, for good (shutdown); those in flight can still be settled. */
  stop(): Promise<void> {
    return this.want('stopped');
  }

  async close(): Promise<void> {
    await this.wrapper?.close();
  }

  private get channelName(): string {
    return this.settings.channelName ?? CONSUMER_CHANNEL;
  }

  status(): ConsumerStatus {
    if (this.wanted === 'stopped') return { state: 'stopped' };
    if (this.consumerTag) return { state: 'consuming' };
    if (this.wanted === 'paused') return { state: 'paused' };
    const reason =
      this.connection.setupFailureOf(this.channelName) ??
      (this.connection.isConnected('consume')
        ? `subscribing to ${this.settings.queue}`
        : 'no connection to RabbitMQ');
    return { state: 'not-consuming', reason };
  }

  /** Runs on every (re)connect: declare, then consume unless paused. */
  private async setUp(channel: ConfirmChannel): Promise<void> {
    this.channel = undefined;
    this.consumerTag = undefined;
    await declareTopology(channel, this.settings.topology);
    await channel.prefetch(this.settings.prefetch);
    this.channel = channel;
    channel.once('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.consumerTag = undefined;
    });
    await this.reconcile();
  }

  private want(wanted: Wanted): Promise<void> {
    if (this.wanted === 'stopped') return Promise.resolve();
    this.wanted = wanted;
    return this.reconcile().catch((error) =>
      // The channel closed under us; its reconnect applies what is wanted.
      this.log.warn(
        `cannot ${wanted === 'consuming' ? 'resume' : 'stop'} consuming ${this.settings.queue}: ${(error as Error).message}`,
      ),
    );
  }

  /** Queues a change that brings the subscription in line with what is wanted. */
  private reconcile(): Promise<void> {
    const change = this.changes.then(() => this.reconcileNow());
    this.changes = change.catch(() => undefined);
    return change;
  }

  private async reconcileNow(): Promise<void> {
    const channel = this.channel;
    if (!channel) return; // the next setup applies what is wanted
    if (this.wanted === 'consuming' && !this.consumerTag) {
      const { consumerTag } = await channel.consume(
        this.settings.queue,
        (message) =>
          message ? this.settings.onDelivery(channel, message) : this.onCancelledByBroker(channel),
        { noAck: false },
      );
      if (this.channel === channel) this.consumerTag = consumerTag;
    } else if (this.wanted !== 'consuming' && this.consumerTag) {
      const consumerTag = this.consumerTag;
      this.consumerTag = undefined;
      await channel.cancel(consumerTag);
    }
  }

  /** The queue was deleted under us (in the management UI, say): declare it again and consume. */
  private onCancelledByBroker(channel: ConfirmChannel): void {
    if (channel !== this.channel) return;
    this.consumerTag = undefined;
    if (this.wanted !== 'consuming') return;
    this.log.warn(
      `the broker cancelled the consumer of ${this.settings.queue} (queue deleted?); declaring the topology again`,
    );
    const recovery = this.changes.then(async () => {
      if (this.channel !== channel) return; // a reconnect already declared and subscribed
      await declareTopology(channel, this.settings.topology);
      await this.reconcileNow();
      this.log.log(`consuming ${this.settings.queue} again`);
    });
    this.changes = recovery.catch((error) => {
      this.log.error(
        `cannot recover the consumer of ${this.settings.queue} (${(error as Error).message}); reconnecting`,
      );
      this.connection.forceReconnect('consume');
    });
  }
}
