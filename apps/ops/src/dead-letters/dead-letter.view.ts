import { DeadLetterRow, FailureGroupRow, HistoryRow } from './dead-letter.schema';

/** A dead letter as the API shows it in lists (contract: "Dead letters"). */
export function deadLetterItem(row: DeadLetterRow & { group: FailureGroupRow }) {
  return {
    id: row.id,
    service: row.service,
    queue: row.queue,
    eventId: row.eventId,
    eventType: row.eventType,
    correlationId: row.correlationId,
    causationId: row.causationId,
    orderId: row.orderId,
    reason: row.reason,
    errorMessage: row.errorMessage,
    attempts: row.attempts,
    firstFailureAt: row.firstFailureAt.toISOString(),
    lastFailureAt: row.lastFailureAt.toISOString(),
    deadLetteredAt: row.deadLetteredAt.toISOString(),
    status: row.status,
    failures: row.failures,
    group: { id: row.group.id, title: row.group.title },
  };
}

/** The detail: the item, the message as stored (bytes, text, JSON, headers) and its history. */
export function deadLetterDetail(
  row: DeadLetterRow & { group: FailureGroupRow },
  history: HistoryRow[],
) {
  return {
    ...deadLetterItem(row),
    payload: row.payloadJson ?? null,
    payloadText: row.payloadText,
    payloadBase64: row.payload.toString('base64'),
    headers: row.headers,
    errorStack: row.errorStack,
    history: history.map((entry) => ({
      at: entry.at.toISOString(),
      kind: entry.kind,
      actor: entry.actor,
      reason: entry.reason,
      detail: entry.detail,
      ...(entry.jobId ? { jobId: entry.jobId } : {}),
    })),
  };
}
