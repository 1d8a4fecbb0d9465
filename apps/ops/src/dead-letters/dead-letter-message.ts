import type { ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { createHash } from 'node:crypto';
import { failedAttemptsOf, headerString, MessageHeaders } from '@shop/rmq';

const MAX_EVENT_TYPE_CHARS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A message read from `<service>.dlq`, as ops stores it. */
export interface CollectedDeadLetter {
  service: string;
  queue: string;
  identity: string;
  eventId: string | null;
  eventType: string | null;
  correlationId: string | null;
  causationId: string | null;
  orderId: string | null;
  reason: string;
  errorMessage: string;
  errorStack: string | null;
  attempts: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  deadLetteredAt: Date;
  payload: Buffer;
  payloadText: string;
  payloadJson: unknown;
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
  /** Set when this failure is a retry ops sent that failed again. */
  replayId: string | null;
  /** Tells a redelivered copy of this very failure from a new failure; null when unknown. */
  deliveryKey: string | null;
}

/**
 * Reads everything ops needs from a dead-lettered message, whatever it holds: the failure story
 * from the `x-*` headers libs/rmq writes (or RabbitMQ's own `x-death` when the broker
 * dead-lettered it), the ids from the envelope when the bytes are one. Never throws.
 */
export function readDeadLetter(
  service: string,
  queue: string,
  message: ConsumeMessage,
  now: Date,
): CollectedDeadLetter {
  const headers = message.properties.headers ?? {};
  const payloadText = storableText(message.content.toString('utf8'));
  const payloadJson = parseJson(message.content);
  const envelope = asRecord(payloadJson);
  const metadata = asRecord(envelope?.['metadata']);
  const data = asRecord(envelope?.['data']);
  const messageId = stringOrNull(message.properties.messageId);
  const eventId = uuidOrNull(envelope?.['eventId']) ?? uuidOrNull(messageId);
  const deadLetteredHeader = headerString(headers, MessageHeaders.deadLetteredAt);
  const deadLetteredAt = dateOr(deadLetteredHeader, now);
  const brokerDeath = brokerDeathOf(headers);
  return {
    service,
    queue,
    identity:
      eventId ??
      messageId ??
      `sha256:${createHash('sha256').update(service).update('\0').update(message.content).digest('hex')}`,
    eventId,
    eventType: bounded(
      stringOrNull(envelope?.['eventType']) ?? stringOrNull(message.properties.type),
    ),
    correlationId:
      uuidOrNull(metadata?.['correlationId']) ?? uuidOrNull(message.properties.correlationId),
    causationId:
      uuidOrNull(metadata?.['causationId']) ??
      uuidOrNull(headerString(headers, MessageHeaders.causationId)),
    orderId: uuidOrNull(data?.['orderId']),
    reason:
      headerString(headers, MessageHeaders.deadLetterReason) ?? brokerDeath?.reason ?? 'unknown',
    errorMessage: storableText(
      headerString(headers, MessageHeaders.errorMessage) ??
        (brokerDeath
          ? `dead-lettered by RabbitMQ (${brokerDeath.reason}) from ${brokerDeath.queue}`
          : 'no error recorded'),
    ),
    errorStack: optionalText(headerString(headers, MessageHeaders.errorStack)),
    attempts: failedAttemptsOf(headers),
    firstFailureAt: dateOr(headerString(headers, MessageHeaders.firstFailureAt), deadLetteredAt),
    lastFailureAt: dateOr(headerString(headers, MessageHeaders.lastFailureAt), deadLetteredAt),
    deadLetteredAt,
    payload: message.content,
    payloadText,
    payloadJson: payloadJson !== undefined && storableJson(payloadJson) ? payloadJson : null,
    headers: jsonHeaders(headers),
    properties: jsonHeaders(withoutHeaders(message.properties)),
    replayId: uuidOrNull(headerString(headers, MessageHeaders.replayId)),
    deliveryKey: deadLetteredHeader
      ? `${queue}@${deadLetteredHeader}`
      : brokerDeath?.time
        ? `${queue}@x-death:${brokerDeath.time}:${brokerDeath.count}`
        : null,
  };
}

/** AMQP headers as plain JSON: Buffers as UTF-8 text, dates as ISO strings, no NUL characters. */
export function jsonHeaders(value: Record<string, unknown>): Record<string, unknown> {
  return toJson(value) as Record<string, unknown>;
}

function toJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return storableText(value.toString('utf8'));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, each]) => each !== undefined)
        .map(([key, each]) => [storableText(key), toJson(each)]),
    );
  }
  return value;
}

/** PostgreSQL text cannot hold NUL; invalid UTF-8 was already replaced by the decoder. */
function storableText(text: string): string {
  return text.replaceAll(String.fromCharCode(0), '\uFFFD');
}

function storableJson(value: unknown): boolean {
  return !JSON.stringify(value).includes('\\u0000');
}

function optionalText(text: string | undefined): string | null {
  return text === undefined ? null : storableText(text);
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? storableText(value) : null;
}

function uuidOrNull(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : null;
}

function bounded(value: string | null): string | null {
  return value === null ? null : value.slice(0, MAX_EVENT_TYPE_CHARS);
}

function dateOr(iso: string | undefined, fallback: Date): Date {
  const parsed = iso ? new Date(iso) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback;
}

function withoutHeaders(properties: ConsumeMessage['properties']): Record<string, unknown> {
  const { headers: _headers, ...rest } = properties;
  return rest;
}

/** RabbitMQ's own record, when the broker (not libs/rmq) dead-lettered the message. */
function brokerDeathOf(
  headers: MessagePropertyHeaders,
): { reason: string; queue: string; time?: string; count: number } | undefined {
  const deaths = headers['x-death'];
  if (!Array.isArray(deaths) || deaths.length === 0) return undefined;
  const first = asRecord(deaths[0]);
  if (!first) return undefined;
  const time = first['time'];
  return {
    reason: String(first['reason'] ?? 'rejected'),
    queue: String(first['queue'] ?? 'unknown'),
    time:
      time instanceof Date
        ? time.toISOString()
        : typeof time === 'object' && time !== null && 'value' in time
          ? String((time as { value: unknown }).value)
          : time === undefined
            ? undefined
            : String(time),
    count: Number(first['count'] ?? 1),
  };
}
