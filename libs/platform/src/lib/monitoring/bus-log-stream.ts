import { MonitoringRoutingKeys } from '@shop/rmq';
import type { DestinationStream } from 'pino';
import { hostname } from 'node:os';
import { GelfMessage, toGelf } from './gelf';
import type { BusDropReason } from './monitoring.metrics';

/** Log lines waiting for the bus; beyond this, new lines are dropped (and counted). */
export const LOG_BUFFER_CAPACITY = 1_000;
/** Publishes in flight at once: enough to keep up, few enough to leave the channel to events. */
const MAX_IN_FLIGHT = 8;

/** Publishes one GELF line on `log.<service>.<level>`; never rejects. */
export type SendLog = (routingKey: string, gelf: GelfMessage) => Promise<void>;
export type DropLog = (reason: BusDropReason) => void;

/**
 * A pino destination for the lines at or above `LOG_BUS_LEVEL`: each becomes GELF in a
 * bounded buffer that drains to the bus in the background. `write` never waits and never
 * logs; lines written while a publish is being started (a log caused by publishing a log)
 * are dropped, so it cannot feed itself. Until `attach` (start-up), lines wait in the buffer.
 */
export class BusLogStream implements DestinationStream {
  private readonly buffer: GelfMessage[] = [];
  private readonly host = hostname();
  private sender?: { send: SendLog; drop: DropLog };
  private inFlight = 0;
  private publishing = false;
  /** Dropped before `attach`, counted once attached. */
  private readonly droppedEarly: BusDropReason[] = [];

  constructor(private readonly service: string) {}

  write(line: string): void {
    if (this.publishing) {
      this.countDrop('recursive');
      return;
    }
    if (this.buffer.length >= LOG_BUFFER_CAPACITY) {
      this.countDrop('buffer-full');
      return;
    }
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // not a pino line; nothing to forward
    }
    this.buffer.push(toGelf(record, this.host));
    this.drain();
  }

  attach(send: SendLog, drop: DropLog): void {
    this.sender = { send, drop };
    for (const reason of this.droppedEarly.splice(0)) drop(reason);
    this.drain();
  }

  /** Stops forwarding (shutdown); lines still buffered are left unsent. */
  detach(): void {
    this.sender = undefined;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  private drain(): void {
    const sender = this.sender;
    if (!sender) return;
    while (this.inFlight < MAX_IN_FLIGHT && this.buffer.length > 0) {
      const gelf = this.buffer.shift() as GelfMessage;
      this.inFlight++;
      let sent: Promise<void>;
      this.publishing = true;
      try {
        sent = sender.send(
          MonitoringRoutingKeys.log(this.service, String(gelf['_level_name'])),
          gelf,
        );
      } catch {
        sent = Promise.resolve(sender.drop('not-confirmed'));
      } finally {
        this.publishing = false;
      }
      void sent
        .catch(() => sender.drop('not-confirmed'))
        .finally(() => {
          this.inFlight--;
          this.drain();
        });
    }
  }

  private countDrop(reason: BusDropReason): void {
    if (this.sender) this.sender.drop(reason);
    else if (this.droppedEarly.length < LOG_BUFFER_CAPACITY) this.droppedEarly.push(reason);
  }
}
