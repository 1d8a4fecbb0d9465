import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  deadLetterQueues,
  QueueProcessors,
  RMQ_OPTIONS,
  RmqOptions,
  wholeTopology,
} from '@shop/rmq';
import type { ConsumeMessage } from 'amqplib';
import { readDeadLetter } from './dead-letter-message';
import { DeadLetterStore } from './dead-letter-store';
import { deadLettersCollected, reasonLabel } from './dead-letters.metrics';

/**
 * Consumes every `<service>.dlq` of the topology (read from the topology data, so a service
 * added later is collected too) and stores each message before acking it.
 */
@Injectable()
export class DeadLetterCollector implements OnModuleInit {
  private readonly log = new Logger(DeadLetterCollector.name);

  constructor(
    private readonly processors: QueueProcessors,
    private readonly store: DeadLetterStore,
    @Inject(RMQ_OPTIONS) private readonly options: RmqOptions,
  ) {}

  onModuleInit(): void {
    for (const { service, queue } of deadLetterQueues(wholeTopology(this.options))) {
      this.processors.process({
        queue,
        handle: (message) => this.collect(service, queue, message),
      });
    }
  }

  private async collect(service: string, queue: string, message: ConsumeMessage): Promise<void> {
    const collected = readDeadLetter(service, queue, message, new Date());
    const stored = await this.store.record(collected);
    if (stored.outcome === 'already-recorded') {
      this.log.log({
        msg: `redelivered copy of a failure already stored (${queue})`,
        deadLetterId: stored.id,
      });
      return;
    }
    deadLettersCollected.inc({ service, reason: reasonLabel(collected.reason) });
    this.log.warn({
      msg: `dead letter from ${queue} (${collected.reason}): ${collected.errorMessage}`,
      deadLetterId: stored.id,
      eventId: collected.eventId,
      eventType: collected.eventType,
      outcome: stored.outcome === 'new' ? 'new' : stored.kind,
    });
  }
}
