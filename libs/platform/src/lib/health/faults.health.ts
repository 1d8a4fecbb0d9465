import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { describeFaults } from '../faults/fault-plan';
import { FaultSwitches } from '../faults/fault-switches';

/** Always `up`: a simulated fault is on purpose, but whoever looks at /health/ready sees it. */
@Injectable()
export class FaultsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly faults: FaultSwitches,
  ) {}

  check(key: string) {
    return this.health.check(key).up({ active: describeFaults(this.faults.plan) });
  }
}
