import type { MessagePropertyHeaders } from 'amqplib';

/**
 * Headers this library reads and writes. The failure story of a retried or dead-lettered
 * message is told here, so the management UI explains it without logs.
 */
export const MessageHeaders = {
  eventVersion: 'x-event-version',
  causationId: 'x-causation-id',
  /** W3C trace context of the publishing span; retry and dead-letter copies keep it. */
  traceparent: 'traceparent',
  /** Handler attempts that failed so far. */
  attempts: 'x-attempts',
  firstFailureAt: 'x-first-failure-at',
  lastFailureAt: 'x-last-failure-at',
  originalExchange: 'x-original-exchange',
  originalRoutingKey: 'x-original-routing-key',
  errorMessage: 'x-error-message',
  errorStack: 'x-error-stack',
  service: 'x-service',
  deadLetterReason: 'x-dead-letter-reason',
  deadLetteredAt: 'x-dead-lettered-at',
  /** Set by apps/ops on a message it retried: the service acknowledges it on `shop.monitoring`. */
  replayId: 'x-replay-id',
  /** The AMQP correlationId the message had before ops retried it under a new one. */
  originalCorrelationId: 'x-original-correlation-id',
  /** On an edited retry: the eventId of the event it replaces. */
  editedFrom: 'x-edited-from',
} as const;

/** RabbitMQ's own dead-lettering headers; stale copies are dropped when we republish. */
export const BROKER_DEATH_HEADERS = [
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
];

export function failedAttemptsOf(headers: MessagePropertyHeaders | undefined): number {
  const value = Number(headers?.[MessageHeaders.attempts] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function headerString(
  headers: MessagePropertyHeaders | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

export function withoutBrokerDeathHeaders(
  headers: MessagePropertyHeaders | undefined,
): MessagePropertyHeaders {
  const copy: MessagePropertyHeaders = { ...(headers ?? {}) };
  for (const name of BROKER_DEATH_HEADERS) delete copy[name];
  return copy;
}
