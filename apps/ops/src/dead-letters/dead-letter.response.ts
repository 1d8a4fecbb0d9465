import { DeadLetterStatus, HistoryKind } from './dead-letter.schema';
import { deadLetterDetail, deadLetterItem } from './dead-letter.view';

// The API's shapes as classes, for the OpenAPI document (tools/api-docs/swagger-plugin.js);
// `implements` and the controller's return types keep them and the views the same.

export class FailureGroupRefResponse {
  id!: string;
  title!: string;
}

/** A dead letter as lists show it. */
export class DeadLetterResponse implements ReturnType<typeof deadLetterItem> {
  id!: string;
  /** The service that gave up on the message. */
  service!: string;
  /** Where it was collected from: `<service>.dlq`. */
  queue!: string;
  eventId!: string | null;
  eventType!: string | null;
  correlationId!: string | null;
  causationId!: string | null;
  orderId!: string | null;
  /** `retries-exhausted`, `non-retryable` or a poison reason (`unparseable`, `invalid-payload`, …). */
  reason!: string;
  errorMessage!: string;
  attempts!: number;
  firstFailureAt!: string;
  lastFailureAt!: string;
  deadLetteredAt!: string;
  status!: DeadLetterStatus;
  /** How often this service dead-lettered this event. */
  failures!: number;
  group!: FailureGroupRefResponse;
}

export class DeadLetterHistoryEntryResponse {
  at!: string;
  kind!: HistoryKind;
  actor!: string | null;
  reason!: string | null;
  detail!: string | null;
  /** The bulk retry that sent it, if one did. */
  jobId?: string;
}

/** A dead letter with its message as stored and its history. */
export class DeadLetterDetailResponse
  extends DeadLetterResponse
  implements ReturnType<typeof deadLetterDetail>
{
  /** The message parsed, when it is JSON; null otherwise. */
  payload!: ReturnType<typeof deadLetterDetail>['payload'];
  /** The bytes as UTF-8, invalid bytes replaced. */
  payloadText!: string;
  /** The exact bytes, replayed unchanged. */
  payloadBase64!: string;
  /** The AMQP headers, the failure story (`x-attempts`, `x-error-message`, …) included. */
  headers!: Record<string, unknown>;
  errorStack!: string | null;
  history!: DeadLetterHistoryEntryResponse[];
}

export class DeadLetterPageResponse {
  items!: DeadLetterResponse[];
  total!: number;
  limit!: number;
  offset!: number;
}

/** Dead letters alike: same service, event type, reason and error once ids are stripped. */
export class FailureGroupResponse {
  id!: string;
  title!: string;
  service!: string;
  /** Null when the messages had no (catalog) event type. */
  eventType!: string | null;
  errorShape!: string;
  reason!: string;
  count!: number;
  /** Unresolved or retrying. */
  unresolved!: number;
  firstSeen!: string;
  lastSeen!: string;
}

export class FailureGroupsResponse {
  items!: FailureGroupResponse[];
}
