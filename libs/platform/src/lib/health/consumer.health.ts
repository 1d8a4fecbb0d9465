import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { QueueProcessors, RMQ_OPTIONS, RmqEventServer, RmqOptions } from '@shop/rmq';
import { consumerStates, isConsuming } from './consumer-states';

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
    const states = consumerStates(this.options, this.events, this.processors);
    const down = states.find((state) => !isConsuming(state));
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
}
