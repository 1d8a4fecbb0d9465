import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BusLogStream } from '../monitoring/bus-log-stream';
import { HeartbeatPublisher } from '../monitoring/heartbeat';
import { MonitoringBus } from '../monitoring/monitoring-bus';

/**
 * Heartbeats and bus logs: always `up` (best effort never makes a service unready), with the
 * details an operator needs when ops shows the instance missing or its logs stop arriving.
 */
@Injectable()
export class MonitoringHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly bus: MonitoringBus,
    private readonly logs: BusLogStream,
    private readonly heartbeat: HeartbeatPublisher,
  ) {}

  check(key: string) {
    const { lastDrop, lastPublishedAt } = this.bus.status();
    const dropping = lastDrop !== undefined && (!lastPublishedAt || lastDrop.at > lastPublishedAt);
    return this.health.check(key).up({
      instanceId: this.heartbeat.instanceId,
      publishing: !dropping,
      ...(dropping ? { droppingBecause: `${lastDrop.reason}: ${lastDrop.detail}` } : {}),
      logsBuffered: this.logs.buffered,
      ...(lastPublishedAt ? { lastPublishedAt } : {}),
    });
  }
}
