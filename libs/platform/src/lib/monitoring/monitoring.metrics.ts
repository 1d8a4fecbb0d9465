import { Counter } from 'prom-client';

/** What a monitoring message is: bounded, so labels stay few. */
export type BusMessageKind = 'heartbeat' | 'log';

/** Why a monitoring message was given up, never retried. */
export type BusDropReason =
  /** The publish connection is down: dropped at once, without waiting. */
  | 'broker-unreachable'
  /** The broker did not confirm in time (slow, blocked by an alarm) or refused it. */
  | 'not-confirmed'
  /** More log lines waiting than the buffer holds. */
  | 'buffer-full'
  /** A log line written while a log line was being published: forwarding it could loop. */
  | 'recursive';

export const busMessagesPublished = new Counter({
  name: 'shop_bus_messages_published_total',
  help: 'Heartbeats and log lines the broker took on shop.monitoring (routed="false": no queue was bound, nobody listening)',
  labelNames: ['kind', 'routed'],
});

export const busMessagesDropped = new Counter({
  name: 'shop_bus_messages_dropped_total',
  help: 'Heartbeats and log lines given up (best effort: the service never waits for the bus)',
  labelNames: ['kind', 'reason'],
});
