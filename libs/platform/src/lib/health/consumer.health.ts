import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  CircuitStatus,
  ConsumerStatus,
  QueueProcessors,
  RMQ_OPTIONS,
  RmqEventServer,
  RmqOptions,
  serviceQueueNames,
} from '@shop/rmq';

interface QueueConsumerState {
  queue: string;
  consumer: ConsumerStatus;
  circuit: CircuitStatus;
}

/**
 * Whether the service takes deliveries from its queues: its event queue (if it consumes events)
 * and any queue processor. Down while a consumer circuit is open (a dependency is unreachable),
 * while a channel cannot be set up, and during shutdown; the details say which, and why.
 */
@Injectable()
export class ConsumerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly events: RmqEventServer,
    private readonly processors: QueueProcessors,
    @Inject(RMQ_OPTIONS) private readonly options: RmqOptions,
  ) {}

  check(key: string) {
    const indicator = this.health.check(key);
    const states = this.states();
    const down = states.find(
      ({ consumer, circuit }) => consumer.state !== 'consuming' || circuit.state !== 'closed',
    );
    const queues = states.map((state) => state.queue);
    if (!down) {
      return indicator.up({ circuit: 'closed', ...(queues.length > 1 ? { queues } : {}) });
    }
    const { consumer, circuit } = down;
    const reason =
      circuit.state !== 'closed'
        ? `circuit ${circuit.state}: ${circuit.reason}`
        : consumer.state === 'not-consuming'
          ? consumer.reason
          : consumer.state;
    return indicator.down({
      state: consumer.state,
      circuit: circuit.state,
      reason: queues.length > 1 ? `${down.queue}: ${reason}` : reason,
      ...(circuit.since ? { since: circuit.since } : {}),
    });
  }

  private states(): QueueConsumerState[] {
    const events: QueueConsumerState[] =
      this.options.consumesEvents === false
        ? []
        : [
            {
              queue: serviceQueueNames(this.options.service).events,
              ...this.events.consumerStatus(),
            },
          ];
    return [...events, ...this.processors.statuses()];
  }
}
