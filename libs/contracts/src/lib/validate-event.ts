import { z } from 'zod';
import { DomainEvent, EventCatalog, isEventType } from './catalog';
import { EnvelopeSchema } from './envelope';

/** Why a message can never become a valid event: no retry can fix any of these. */
export type InvalidEventReason =
  | 'invalid-envelope'
  | 'unknown-event-type'
  | 'unsupported-version'
  | 'invalid-payload';

export type EventValidation =
  | { outcome: 'valid'; event: DomainEvent }
  | { outcome: 'invalid'; reason: InvalidEventReason; detail: string };

/** Checks a decoded message against the envelope schema and its event's payload schema. */
export function validateEvent(message: unknown): EventValidation {
  const envelope = EnvelopeSchema.safeParse(message);
  if (!envelope.success) {
    return {
      outcome: 'invalid',
      reason: 'invalid-envelope',
      detail: z.prettifyError(envelope.error),
    };
  }
  const { eventType, eventVersion } = envelope.data;
  if (!isEventType(eventType)) {
    return {
      outcome: 'invalid',
      reason: 'unknown-event-type',
      detail: `unknown eventType "${eventType}"`,
    };
  }
  const definition = EventCatalog[eventType];
  if (eventVersion !== definition.version) {
    return {
      outcome: 'invalid',
      reason: 'unsupported-version',
      detail: `${eventType} version ${eventVersion} is not supported (expected ${definition.version})`,
    };
  }
  const data = definition.schema.safeParse(envelope.data.data);
  if (!data.success) {
    return { outcome: 'invalid', reason: 'invalid-payload', detail: z.prettifyError(data.error) };
  }
  return {
    outcome: 'valid',
    event: { ...envelope.data, eventType, data: data.data } as DomainEvent,
  };
}
