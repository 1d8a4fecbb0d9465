import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  MonitoringRoutingKeys,
  QueueProcessors,
  RMQ_OPTIONS,
  RmqEventServer,
  RmqOptions,
} from '@shop/rmq';
import { hostname } from 'node:os';
import { consumerStates, isConsuming } from '../health/consumer-states';
import { SERVICE_CONFIG, ServiceConfig } from '../service-config';
import { MonitoringBus } from './monitoring-bus';

/** A beat older than this many intervals is stale: it expires in queues, and ops calls the instance missing. */
export const HEARTBEAT_LIFETIME_INTERVALS = 3;

/** `up` while taking deliveries from every queue; `degraded` while a consumer circuit is open or a queue is not consumed. */
export type InstanceStatus = 'up' | 'degraded';

export interface Heartbeat {
  service: string;
  instanceId: string;
  status: InstanceStatus;
  startedAt: string;
  sentAt: string;
}

/**
 * Every `HEARTBEAT_INTERVAL_MS`, `heartbeat.<service>` on `shop.monitoring`: which instances
 * run, and whether each is consuming. The instance id is the one in the RabbitMQ management
 * UI's connection names (`<service>@<host>:<pid>`).
 */
@Injectable()
export class HeartbeatPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  readonly instanceId: string;
  private readonly startedAt = new Date().toISOString();
  private timer?: NodeJS.Timeout;
  private beating = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly bus: MonitoringBus,
    private readonly events: RmqEventServer,
    private readonly processors: QueueProcessors,
    @Inject(RMQ_OPTIONS) private readonly rmqOptions: RmqOptions,
  ) {
    this.instanceId = `${config.SERVICE_NAME}@${hostname()}:${process.pid}`;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.beat(), this.config.HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
    void this.bus.whenConnected().then(() => this.beat());
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One beat at a time: a slow broker skips beats instead of piling them up. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      const heartbeat: Heartbeat = {
        service: this.config.SERVICE_NAME,
        instanceId: this.instanceId,
        status: this.status(),
        startedAt: this.startedAt,
        sentAt: new Date().toISOString(),
      };
      await this.bus.publish({
        kind: 'heartbeat',
        routingKey: MonitoringRoutingKeys.heartbeat(this.config.SERVICE_NAME),
        body: heartbeat,
        expirationMs: this.config.HEARTBEAT_INTERVAL_MS * HEARTBEAT_LIFETIME_INTERVALS,
      });
    } finally {
      this.beating = false;
    }
  }

  private status(): InstanceStatus {
    const states = consumerStates(this.rmqOptions, this.events, this.processors);
    return states.every(isConsuming) ? 'up' : 'degraded';
  }
}
