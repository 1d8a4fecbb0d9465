import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RmqConnection } from '@shop/rmq';

@Injectable()
export class BrokerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly connection: RmqConnection,
  ) {}

  check(key: string) {
    const indicator = this.health.check(key);
    const problems = this.connection.problems();
    return problems.length === 0
      ? indicator.up()
      : indicator.down({ message: problems.join('; ') });
  }
}
