import { z } from 'zod';
import { EventCatalog, EventDefinition, EventType } from './catalog';
import { Envelope } from './envelope';
import { Upcaster } from './upcasters';

/** One published version of an event's payload. */
export interface PublishedVersion {
  version: number;
  schema: z.ZodType;
}

/** Every version of an event this code reads, oldest first; the last is the current one. */
export function publishedVersions(eventType: EventType): PublishedVersion[] {
  const definition: EventDefinition = EventCatalog[eventType];
  const earlier = Object.entries(definition.earlierVersions ?? {}).map(([version, earlier]) => ({
    version: Number(version),
    schema: earlier.schema,
  }));
  return [...earlier, { version: definition.version, schema: definition.schema }].sort(
    (a, b) => a.version - b.version,
  );
}

export type DataDecoding =
  | { outcome: 'decoded'; data: unknown }
  | { outcome: 'unsupported-version'; detail: string }
  | { outcome: 'invalid-payload'; error: z.ZodError };

/**
 * Reads an envelope's `data` as the version it names, then upcasts it one version at a time to
 * the current one, validating each step: a handler only ever sees the current version.
 */
export function decodeEventData(
  eventType: EventType,
  envelope: Pick<Envelope, 'eventVersion' | 'timestamp' | 'data'>,
): DataDecoding {
  const definition: EventDefinition = EventCatalog[eventType];
  const schemaOf = (version: number): z.ZodType | undefined =>
    version === definition.version
      ? definition.schema
      : definition.earlierVersions?.[version]?.schema;
  const accepted = publishedVersions(eventType).map(({ version }) => version);
  if (!schemaOf(envelope.eventVersion)) {
    return {
      outcome: 'unsupported-version',
      detail: `${eventType} version ${envelope.eventVersion} is not supported (this code reads ${accepted.join(', ')})`,
    };
  }
  let version = envelope.eventVersion;
  let parsed = (schemaOf(version) as z.ZodType).safeParse(envelope.data);
  while (parsed.success && version < definition.version) {
    const upcast = definition.earlierVersions?.[version]?.upcast as Upcaster<unknown, unknown>;
    version += 1;
    const next = schemaOf(version);
    // The catalog's test forbids gaps between versions; this keeps a gap from passing silently.
    if (!next) {
      return { outcome: 'unsupported-version', detail: `${eventType} has no version ${version}` };
    }
    parsed = next.safeParse(upcast(parsed.data, envelope));
  }
  return parsed.success
    ? { outcome: 'decoded', data: parsed.data }
    : { outcome: 'invalid-payload', error: parsed.error };
}
