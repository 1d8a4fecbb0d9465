import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RmqEventServer } from '@shop/rmq';

/**
 * Whether the service takes deliveries from its queue. Down while the consumer circuit is open
 * (a dependency is unreachable), while its channel cannot be set up, and during shutdown; the
 * details say which, and why.
 */
@Injectable()
export class ConsumerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly events: RmqEventServer,
  ) {}

  check(key: string) {
    const indicator = this.health.check(key);
    const { consumer, circuit } = this.events.consumerStatus();
    if (consumer.state === 'consuming' && circuit.state === 'closed') {
      return indicator.up({ circuit: circuit.state });
    }
    const reason =
      circuit.state !== 'closed'
        ? `circuit ${circuit.state}: ${circuit.reason}`
        : consumer.state === 'not-consuming'
          ? consumer.reason
          : consumer.state;
    return indicator.down({
      state: consumer.state,
      circuit: circuit.state,
      reason,
      ...(circuit.since ? { since: circuit.since } : {}),
    });
  }
}
