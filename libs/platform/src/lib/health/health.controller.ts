import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { BrokerHealthIndicator } from './broker.health';
import { ConsumerHealthIndicator } from './consumer.health';
import { DatabaseHealthIndicator } from './database.health';
import { FaultsHealthIndicator } from './faults.health';
import { MonitoringHealthIndicator } from './monitoring.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly broker: BrokerHealthIndicator,
    private readonly consumer: ConsumerHealthIndicator,
    private readonly monitoring: MonitoringHealthIndicator,
    private readonly faults: FaultsHealthIndicator,
  ) {}

  /** The process is up and serving HTTP; says nothing about its dependencies. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Able to do its job: database and broker reachable, consuming its queue (503 otherwise).
   * `monitoring` never makes it fail (heartbeats and bus logs are best effort); it says why
   * they are being dropped, if they are. `faults` never does either: it lists the faults
   * switched on at run time (/admin/faults), so nobody mistakes a lab for an incident.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.check('database'),
      () => this.broker.check('rabbitmq'),
      () => this.consumer.check('consumer'),
      () => this.monitoring.check('monitoring'),
      () => this.faults.check('faults'),
    ]);
  }
}
