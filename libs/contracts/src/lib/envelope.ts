import { z } from 'zod';

/**
 * The envelope every event travels in (docs/architecture.md, "Events").
 * `data` is validated separately, against the schema its `eventType` names in the catalog.
 */
export const EventMetadataSchema = z.object({
  /** Shared by every event of one business flow (one order's saga). */
  correlationId: z.uuid(),
  /** The eventId of the event that caused this one; a root event points at its correlationId. */
  causationId: z.uuid(),
});

export const EnvelopeSchema = z.object({
  eventId: z.uuid(),
  eventType: z.string().min(1),
  eventVersion: z.number().int().positive(),
  timestamp: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  data: z.unknown(),
  metadata: EventMetadataSchema,
});

export type EventMetadata = z.infer<typeof EventMetadataSchema>;

export interface Envelope<TType extends string = string, TData = unknown> {
  eventId: string;
  eventType: TType;
  eventVersion: number;
  timestamp: string;
  source: string;
  data: TData;
  metadata: EventMetadata;
}
