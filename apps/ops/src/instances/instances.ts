import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { OPS_QUEUES, QueueProcessors } from '@shop/rmq';
import type { ConsumeMessage } from 'amqplib';

/** Without an `expiration` on a beat, the platform's default: three intervals of 10 s. */
const DEFAULT_STALE_AFTER_MS = 30_000;

export interface InstanceView {
  service: string;
  instanceId: string;
  /** The last beat's status while beats arrive; `missing` after three silent intervals. */
  status: 'up' | 'degraded' | 'missing';
  startedAt: string;
  lastSeenAt: string;
}

interface Seen {
  service: string;
  instanceId: string;
  status: 'up' | 'degraded';
  startedAt: string;
  lastSeenAt: number;
  staleAfterMs: number;
}

/**
 * The instances that beat on `heartbeat.*` (queue `ops.heartbeats`), kept in memory: a restarted
 * ops knows them again within one interval. A beat's `expiration` is three of its service's
 * intervals, so that is also how long silence may last before an instance is `missing`.
 */
@Injectable()
export class Instances implements OnModuleInit {
  private readonly log = new Logger(Instances.name);
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly processors: QueueProcessors) {}

  onModuleInit(): void {
    this.processors.process({
      queue: OPS_QUEUES.heartbeats,
      handle: async (message) => this.record(message),
    });
  }

  list(now = Date.now()): InstanceView[] {
    return [...this.seen.values()]
      .sort(
        (a, b) => a.service.localeCompare(b.service) || a.instanceId.localeCompare(b.instanceId),
      )
      .map((instance) => ({
        service: instance.service,
        instanceId: instance.instanceId,
        status: now - instance.lastSeenAt > instance.staleAfterMs ? 'missing' : instance.status,
        startedAt: instance.startedAt,
        lastSeenAt: new Date(instance.lastSeenAt).toISOString(),
      }));
  }

  private record(message: ConsumeMessage): void {
    let beat: Partial<Record<keyof Seen, unknown>>;
    try {
      beat = JSON.parse(message.content.toString('utf8')) as typeof beat;
    } catch {
      this.log.warn(
        `ignored a heartbeat that is not JSON (routing key ${message.fields.routingKey})`,
      );
      return;
    }
    if (typeof beat.service !== 'string' || typeof beat.instanceId !== 'string') {
      this.log.warn(`ignored a heartbeat without service or instanceId`);
      return;
    }
    const expiration = Number(message.properties.expiration);
    this.seen.set(beat.instanceId, {
      service: beat.service,
      instanceId: beat.instanceId,
      status: beat.status === 'degraded' ? 'degraded' : 'up',
      startedAt: typeof beat.startedAt === 'string' ? beat.startedAt : '',
      // Ops's clock, not the sender's: "missing" must not depend on clock skew.
      lastSeenAt: Date.now(),
      staleAfterMs: expiration > 0 ? expiration : DEFAULT_STALE_AFTER_MS,
    });
  }
}
