import { randomUUID } from 'node:crypto';
import { DomainEvent, EventCatalog, EventData, EventType } from './catalog';
import { Envelope } from './envelope';

/**
 * Where a new event comes from: either the event being handled (its correlation is carried
 * over and it becomes the cause), or a fresh flow started by a request (a root event).
 */
export type EventOrigin =
  | { source: string; causedBy: Pick<Envelope, 'eventId' | 'metadata'> }
  | { source: string; correlationId: string };

/** Builds a validated envelope; throws if `data` does not satisfy the event's schema. */
export function createEvent<T extends EventType>(
  eventType: T,
  data: EventData<T>,
  origin: EventOrigin,
): DomainEvent<T> {
  const definition = EventCatalog[eventType];
  const metadata =
    'causedBy' in origin
      ? {
          correlationId: origin.causedBy.metadata.correlationId,
          causationId: origin.causedBy.eventId,
        }
      : { correlationId: origin.correlationId, causationId: origin.correlationId };
  const event: Envelope<T, EventData<T>> = {
    eventId: randomUUID(),
    eventType,
    eventVersion: definition.version,
    timestamp: new Date().toISOString(),
    source: origin.source,
    data: definition.schema.parse(data) as EventData<T>,
    metadata,
  };
  return event as DomainEvent<T>;
}
