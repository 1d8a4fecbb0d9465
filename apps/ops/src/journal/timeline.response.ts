import { ConsumerOutcome, ConsumerView, TimelineItem } from './timeline';

// One saga's timeline as classes, for the OpenAPI document (tools/api-docs/swagger-plugin.js).

export class ConsumerResponse implements ConsumerView {
  /** A service subscribed to the event. */
  service!: string;
  outcome!: ConsumerOutcome;
  deadLetterId?: string;
  /** How the outcome is known, or why it is not. */
  evidence!: string;
}

export class TimelineDeadLetterResponse {
  id!: string;
  service!: string;
  status!: string;
  reason!: string;
}

/** A journaled event, or a dead letter of the saga right after the event it failed on. */
export class TimelineItemResponse implements TimelineItem {
  eventId!: string | null;
  eventType!: string | null;
  source!: string | null;
  routingKey!: string;
  timestamp!: string | null;
  receivedAt!: string;
  correlationId!: string | null;
  causationId!: string | null;
  orderId!: string | null;
  /** The event's data. */
  data!: unknown;
  /** Why the message is not a valid event, if it is not. */
  invalidReason!: string | null;
  consumers!: ConsumerResponse[];
  deadLetter?: TimelineDeadLetterResponse;
}

export class TimelineResponse {
  items!: TimelineItemResponse[];
}
