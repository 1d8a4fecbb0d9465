import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ChannelWrapper } from 'amqp-connection-manager';
import { DEFAULT_PROBE_BACKOFF } from './circuit-breaker';
import { QueueMessageHandler, QueueProcessor, QueueProcessorStatus } from './queue-processor';
import { RmqConnection } from './rmq-connection';
import { DEFAULT_DRAIN_TIMEOUT_MS, RMQ_OPTIONS, RmqOptions } from './rmq.options';
import { serviceTopology, wholeTopology } from './service-topology';
import { declareTopology, describeTopology, ServiceTopology } from './topology';

export interface ProcessQueueOptions {
  queue: string;
  handle: QueueMessageHandler;
  /** Unacked deliveries at once; default the service's RABBITMQ_PREFETCH. */
  prefetch?: number;
}

/** Names the channel that declares the service's own queues in a service that consumes no events. */
const TOPOLOGY_CHANNEL = 'topology';

/**
 * "Consume this queue with this handler", for queues that are not the service's event queue
 * (apps/ops: the DLQs, the journal, replay outcomes). Register in `onModuleInit`; every
 * processor starts at application bootstrap and drains before shutdown. In a service that
 * consumes no events (`consumesEvents: false`) it also keeps the service's own queues declared
 * on every reconnect, as the event server does elsewhere. A processed queue may belong to
 * another service (apps/ops reads every `<service>.dlq`): it must exist (the setup step
 * declares them all), and it is consumed, never declared, by this service.
 */
@Injectable()
export class QueueProcessors implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(QueueProcessors.name);
  private readonly processors: QueueProcessor[] = [];
  private readonly topology: ServiceTopology;
  /** Every queue this service may consume: its own, and the shop's (declared by the setup step). */
  private readonly knownQueues: Set<string>;
  private topologyChannel?: ChannelWrapper;
  private started = false;

  constructor(
    private readonly connection: RmqConnection,
    @Inject(RMQ_OPTIONS) private readonly options: RmqOptions,
  ) {
    this.topology = serviceTopology(options);
    this.knownQueues = new Set(
      [...this.topology.queues, ...wholeTopology(options).queues].map((spec) => spec.name),
    );
  }

  /** Adds a processor; started at bootstrap, or at once if the application already runs. */
  process({ queue, handle, prefetch }: ProcessQueueOptions): QueueProcessor {
    if (this.processors.some((processor) => processor.queue === queue)) {
      throw new Error(`${queue} already has a processor`);
    }
    if (!this.knownQueues.has(queue)) {
      throw new Error(`${queue} is not part of the topology (libs/rmq/src/lib/topology.ts)`);
    }
    const processor = new QueueProcessor(this.connection, {
      queue,
      handle,
      prefetch: prefetch ?? this.options.prefetch,
      topology: this.topology,
      dependencyGuard: this.options.dependencyGuard,
      probeBackoff: this.options.probeBackoff ?? DEFAULT_PROBE_BACKOFF,
      drainTimeoutMs: this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    });
    this.processors.push(processor);
    if (this.started)
      void processor.start().catch((error) => this.reportStartFailure(queue, error));
    return processor;
  }

  statuses(): QueueProcessorStatus[] {
    return this.processors.map((processor) => processor.status());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.consumesEvents === false) await this.keepTopologyDeclared();
    await Promise.all(this.processors.map((processor) => processor.start()));
    this.started = true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.processors.map((processor) => processor.close()));
    await this.topologyChannel?.close();
  }

  private async keepTopologyDeclared(): Promise<void> {
    this.log.log(
      `${this.options.service} consumes no events; declaring its own queues:\n${describeTopology(this.topology)}`,
    );
    let firstSetupFailed: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (firstSetupFailed = reject));
    let first = true;
    this.topologyChannel = this.connection.createChannel(
      'consume',
      TOPOLOGY_CHANNEL,
      async (channel) => {
        try {
          await declareTopology(channel, this.topology);
        } catch (error) {
          if (first) firstSetupFailed(error);
          throw error;
        } finally {
          first = false;
        }
      },
    );
    await Promise.race([this.topologyChannel.waitForConnect(), failed]);
  }

  private reportStartFailure(queue: string, error: unknown): void {
    this.log.error(`cannot start consuming ${queue}: ${(error as Error)?.message ?? error}`);
  }
}
