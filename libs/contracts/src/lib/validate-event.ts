import { z } from 'zod';
import { DomainEvent, EventCatalog, isEventType } from './catalog';
import { EnvelopeSchema } from './envelope';
import { decodeEventData } from './event-versions';

/** Why a message can never become a valid event: no retry can fix any of these. */
export type InvalidEventReason =
  | 'invalid-envelope'
  | 'unknown-event-type'
  | 'unsupported-version'
  | 'invalid-payload';

export type EventValidation =
  | { outcome: 'valid'; event: DomainEvent }
  | { outcome: 'invalid'; reason: InvalidEventReason; detail: string };

/**
 * Checks a decoded message against the envelope schema and its event's payload schema, and
 * hands back the event as its current version (an older one is upcast: event-versions.ts).
 */
export function validateEvent(message: unknown): EventValidation {
  const envelope = EnvelopeSchema.safeParse(message);
  if (!envelope.success) {
    return {
      outcome: 'invalid',
      reason: 'invalid-envelope',
      detail: z.prettifyError(envelope.error),
    };
  }
  const { eventType } = envelope.data;
  if (!isEventType(eventType)) {
    return {
      outcome: 'invalid',
      reason: 'unknown-event-type',
      detail: `unknown eventType "${eventType}"`,
    };
  }
  // The version the envelope names is read, then upcast to the current one.
  const data = decodeEventData(eventType, envelope.data);
  if (data.outcome === 'unsupported-version') {
    return { outcome: 'invalid', reason: 'unsupported-version', detail: data.detail };
  }
  if (data.outcome === 'invalid-payload') {
    return { outcome: 'invalid', reason: 'invalid-payload', detail: z.prettifyError(data.error) };
  }
  return {
    outcome: 'valid',
    event: {
      ...envelope.data,
      eventType,
      eventVersion: EventCatalog[eventType].version,
      data: data.data,
    } as DomainEvent,
  };
}
