import { Injectable } from '@nestjs/common';
import { MONITORING_EXCHANGE, RmqConnection, RmqPublisher } from '@shop/rmq';
import {
  BusDropReason,
  busMessagesDropped,
  busMessagesPublished,
  BusMessageKind,
} from './monitoring.metrics';

/** A monitoring message not confirmed by then is given up: the service never waits for it. */
export const BUS_PUBLISH_TIMEOUT_MS = 2_000;

export interface BusMessage {
  kind: BusMessageKind;
  routingKey: string;
  body: unknown;
  /** Dies in any queue after this long (AMQP `expiration`), so nobody reads stale news. */
  expirationMs?: number;
}

/** What `/health/ready` says about the bus: why messages are being dropped, if they are. */
export interface MonitoringBusStatus {
  lastDrop?: { at: string; kind: BusMessageKind; reason: BusDropReason; detail: string };
  lastPublishedAt?: string;
}

/**
 * Best-effort publishing to `shop.monitoring`: never through the outbox, never retried, never
 * blocking. A message the broker cannot take right now is dropped and counted
 * (`shop_bus_messages_dropped_total`). It logs nothing, by design: its failures must not
 * become log lines, which would come back here to be published.
 */
@Injectable()
export class MonitoringBus {
  private readonly state: MonitoringBusStatus = {};

  constructor(
    private readonly connection: RmqConnection,
    private readonly publisher: RmqPublisher,
  ) {}

  /** Resolves once the publisher channel first opened (never, if RabbitMQ never answers). */
  whenConnected(): Promise<void> {
    return this.publisher.waitForConnect();
  }

  /** Never rejects. */
  async publish({ kind, routingKey, body, expirationMs }: BusMessage): Promise<void> {
    if (!this.connection.isConnected('publish')) {
      this.drop(kind, 'broker-unreachable', 'the publish connection to RabbitMQ is down');
      return;
    }
    try {
      const outcome = await this.publisher.publishBestEffort(
        {
          exchange: MONITORING_EXCHANGE,
          routingKey,
          content: Buffer.from(JSON.stringify(body)),
          properties: {
            contentType: 'application/json',
            ...(expirationMs ? { expiration: String(expirationMs) } : {}),
          },
        },
        BUS_PUBLISH_TIMEOUT_MS,
      );
      busMessagesPublished.inc({ kind, routed: String(outcome === 'routed') });
      this.state.lastPublishedAt = new Date().toISOString();
    } catch (error) {
      this.drop(kind, 'not-confirmed', (error as Error)?.message ?? String(error));
    }
  }

  /** Counts a message given up before it reached `publish` (a full log buffer). */
  drop(kind: BusMessageKind, reason: BusDropReason, detail: string): void {
    busMessagesDropped.inc({ kind, reason });
    this.state.lastDrop = { at: new Date().toISOString(), kind, reason, detail };
  }

  status(): MonitoringBusStatus {
    return { ...this.state };
  }
}
