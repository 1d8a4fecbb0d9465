import { Logger } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { InFlightWork } from './in-flight-work';
import { ProbeBackoff } from './circuit-breaker';
import { CircuitStatus, ConsumerCircuit } from './consumer-circuit';
import { Delivery } from './delivery';
import { describeError } from './failure-policy';
import { ConsumerStatus, QueueConsumer } from './queue-consumer';
import { RmqConnection } from './rmq-connection';
import { queueMessagesProcessed } from './rmq.metrics';
import { DependencyGuard } from './rmq.options';
import { ServiceTopology } from './topology';

/**
 * Does the work for one message and commits it. Resolving means "done": the delivery is acked.
 * Throwing puts it back in its queue (an outage opens the circuit first), so a handler that
 * wants to drop a message it cannot use says so by resolving, after logging why.
 */
export type QueueMessageHandler = (message: ConsumeMessage) => Promise<void>;

export interface QueueProcessorSettings {
  queue: string;
  prefetch: number;
  /** Declared on every (re)connect, before consuming: the service's whole topology. */
  topology: ServiceTopology;
  handle: QueueMessageHandler;
  dependencyGuard?: DependencyGuard;
  probeBackoff: ProbeBackoff;
  drainTimeoutMs: number;
}

export interface QueueProcessorStatus {
  queue: string;
  consumer: ConsumerStatus;
  circuit: CircuitStatus;
}

/** A handler failure that is neither an outage nor the message's fault is retried after this. */
const UNEXPECTED_FAILURE_REQUEUE_MS = 1_000;

/**
 * Consumes one queue that does not carry domain events for `@EventPattern` handlers (a DLQ,
 * the journal, replay acknowledgements) with the same mechanisms as the event server: the
 * `QueueConsumer`, the consumer circuit breaker, an ack only after the handler committed, and
 * every delivery settled: acked, or back in its queue.
 */
export class QueueProcessor {
  private readonly log: Logger;
  private readonly consumer: QueueConsumer;
  private readonly circuit: ConsumerCircuit;
  private readonly inFlight = new InFlightWork();

  constructor(
    connection: RmqConnection,
    private readonly settings: QueueProcessorSettings,
  ) {
    this.log = new Logger(`QueueProcessor ${settings.queue}`);
    this.consumer = new QueueConsumer(connection, {
      queue: settings.queue,
      channelName: `consumer ${settings.queue}`,
      prefetch: settings.prefetch,
      topology: settings.topology,
      onDelivery: (channel, message) => this.track(new Delivery(channel, message)),
    });
    this.circuit = new ConsumerCircuit({
      queue: settings.queue,
      backoff: settings.probeBackoff,
      pause: () => this.consumer.pause(),
      resume: () => this.consumer.resume(),
      probe: async () => {
        const guard = settings.dependencyGuard;
        await guard?.probe().catch((error) => {
          throw new Error(`${guard.name} still unreachable: ${describeError(error).message}`);
        });
      },
    });
  }

  get queue(): string {
    return this.settings.queue;
  }

  /** Resolves once consuming; rejects if the first setup fails. */
  async start(): Promise<void> {
    await this.consumer.start();
    this.log.log(`consuming ${this.settings.queue} (prefetch ${this.settings.prefetch})`);
  }

  /** Stops taking deliveries, lets in-flight handlers finish and settle, then closes the channel. */
  async close(): Promise<void> {
    this.circuit.stop();
    await this.consumer.stop();
    if (!(await this.inFlight.drain(this.settings.drainTimeoutMs))) {
      this.log.warn(`${this.inFlight.size} delivery(ies) still in hand at shutdown; redelivered`);
    }
    await this.consumer.close();
  }

  status(): QueueProcessorStatus {
    return {
      queue: this.settings.queue,
      consumer: this.consumer.status(),
      circuit: this.circuit.status(),
    };
  }

  private track(delivery: Delivery): void {
    this.inFlight.add(this.settleAlways(delivery));
  }

  private async settleAlways(delivery: Delivery): Promise<void> {
    try {
      await this.process(delivery);
    } catch (error) {
      this.log.error(`unexpected failure settling a delivery: ${describeError(error).message}`);
    } finally {
      if (!delivery.settled) this.requeue(delivery);
    }
  }

  private async process(delivery: Delivery): Promise<void> {
    if (this.circuit.state !== 'closed') {
      // Arrived after the circuit opened: back once the consumer has stopped.
      await this.circuit.consumerStopped();
      this.requeue(delivery);
      return;
    }
    try {
      await this.settings.handle(delivery.message);
    } catch (error) {
      await this.onHandlerFailure(delivery, error);
      return;
    }
    // Only now: the handler committed, so a crash before this line means a redelivery.
    delivery.ack();
    this.circuit.recordSuccess();
    queueMessagesProcessed.inc({ queue: this.settings.queue, outcome: 'acked' });
  }

  private async onHandlerFailure(delivery: Delivery, error: unknown): Promise<void> {
    const described = describeError(error);
    const guard = this.settings.dependencyGuard;
    if (guard?.isOutage(error)) {
      await this.circuit.reportOutage(`${guard.name} unreachable: ${described.message}`);
      await this.circuit.consumerStopped();
    } else {
      this.log.error({
        msg: `handling a message of ${this.settings.queue} failed; back to the queue in ${UNEXPECTED_FAILURE_REQUEUE_MS} ms: ${described.stack ?? described.message}`,
        messageId: delivery.message.properties.messageId,
      });
      // A pause, so that a message that keeps failing this way does not spin.
      await sleep(UNEXPECTED_FAILURE_REQUEUE_MS);
    }
    this.requeue(delivery);
  }

  private requeue(delivery: Delivery): void {
    delivery.requeue();
    queueMessagesProcessed.inc({ queue: this.settings.queue, outcome: 'requeued' });
  }
}
