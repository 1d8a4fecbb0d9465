import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BusLogStream } from './bus-log-stream';
import { MonitoringBus } from './monitoring-bus';
import { BusDropReason } from './monitoring.metrics';

const DROP_DETAILS: Record<BusDropReason, string> = {
  'broker-unreachable': 'the publish connection to RabbitMQ is down',
  'not-confirmed': 'RabbitMQ did not confirm in time',
  'buffer-full': 'more log lines waiting than the buffer holds',
  recursive: 'a log line written while a log line was being published',
};

/**
 * Connects the logger's bus stream (created before Nest, with the logger) to the bus once
 * RabbitMQ first answers; start-up lines wait in the stream's buffer until then.
 */
@Injectable()
export class BusLogForwarder implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly stream: BusLogStream,
    private readonly bus: MonitoringBus,
  ) {}

  onApplicationBootstrap(): void {
    void this.bus.whenConnected().then(() =>
      this.stream.attach(
        (routingKey, gelf) => this.bus.publish({ kind: 'log', routingKey, body: gelf }),
        (reason) => this.bus.drop('log', reason, DROP_DETAILS[reason]),
      ),
    );
  }

  onApplicationShutdown(): void {
    this.stream.detach();
  }
}
