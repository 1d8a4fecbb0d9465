import type { ConsumeMessage, MessagePropertyHeaders, Options } from 'amqplib';
import { DeadLetterReason } from './failure-policy';
import {
  BROKER_DEATH_HEADERS,
  MessageHeaders,
  headerString,
  withoutBrokerDeathHeaders,
} from './message-headers';

const MAX_ERROR_MESSAGE_CHARS = 1_000;
const MAX_STACK_LINES = 12;
const MAX_STACK_CHARS = 4_000;

export interface FailureStory {
  service: string;
  /** Handler attempts made so far, this one included (0 when no handler ever ran). */
  attempts: number;
  error: { message: string; stack?: string };
  at: Date;
}

/** Headers for a copy sent to a delay queue: the attempt count and where the story started. */
export function retryHeaders(message: ConsumeMessage, story: FailureStory): MessagePropertyHeaders {
  const previous = message.properties.headers;
  return {
    ...withoutBrokerDeathHeaders(previous),
    [MessageHeaders.attempts]: story.attempts,
    [MessageHeaders.service]: story.service,
    [MessageHeaders.originalExchange]:
      headerString(previous, MessageHeaders.originalExchange) ?? message.fields.exchange,
    [MessageHeaders.originalRoutingKey]:
      headerString(previous, MessageHeaders.originalRoutingKey) ?? message.fields.routingKey,
    [MessageHeaders.firstFailureAt]:
      headerString(previous, MessageHeaders.firstFailureAt) ?? story.at.toISOString(),
    [MessageHeaders.lastFailureAt]: story.at.toISOString(),
    [MessageHeaders.errorMessage]: trimErrorMessage(story.error.message),
  };
}

/** Headers for a message parked in the DLQ: everything a person needs to understand it. */
export function deadLetterHeaders(
  message: ConsumeMessage,
  story: FailureStory & { reason: DeadLetterReason },
): MessagePropertyHeaders {
  const headers: MessagePropertyHeaders = {
    ...retryHeaders(message, story),
    [MessageHeaders.deadLetterReason]: story.reason,
    [MessageHeaders.deadLetteredAt]: story.at.toISOString(),
  };
  const stack = trimStack(story.error.stack);
  if (stack) headers[MessageHeaders.errorStack] = stack;
  else delete headers[MessageHeaders.errorStack];
  return headers;
}

/** The original message's properties, with new headers, for a republish of the same bytes. */
export function republishProperties(
  message: ConsumeMessage,
  headers: MessagePropertyHeaders,
): Options.Publish {
  const { contentType, contentEncoding, correlationId, messageId, timestamp, type, appId } =
    message.properties;
  // Deliberately not copied: `expiration` (the copy must not expire in the DLQ) and `userId`
  // (the broker checks it against the connection's user).
  return definedOnly({
    contentType,
    contentEncoding,
    correlationId,
    messageId,
    timestamp,
    type,
    appId,
    headers,
  });
}

function trimErrorMessage(message: string): string {
  return message.length > MAX_ERROR_MESSAGE_CHARS
    ? `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}…`
    : message;
}

function trimStack(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  return stack.split('\n').slice(0, MAX_STACK_LINES).join('\n').slice(0, MAX_STACK_CHARS);
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null),
  ) as T;
}

/** Every header that tells a failure story, ours and the broker's: a replay starts without them. */
export const FAILURE_HEADERS: readonly string[] = [
  MessageHeaders.attempts,
  MessageHeaders.firstFailureAt,
  MessageHeaders.lastFailureAt,
  MessageHeaders.originalExchange,
  MessageHeaders.originalRoutingKey,
  MessageHeaders.errorMessage,
  MessageHeaders.errorStack,
  MessageHeaders.service,
  MessageHeaders.deadLetterReason,
  MessageHeaders.deadLetteredAt,
  ...BROKER_DEATH_HEADERS,
];

export interface ReplayMarks {
  replayId: string;
  /** The AMQP correlationId the dead letter had; the replay gets a new one. */
  originalCorrelationId?: string;
  /** The eventId an edited retry replaces. */
  editedFrom?: string;
}

/**
 * Headers of a message ops sends back to the queue where it failed: the failure story and the
 * attempt count are gone (a fresh set of attempts), the replay is marked so that the service
 * acknowledges it, and the envelope headers (version, causation, trace) are kept.
 */
export function replayHeaders(
  headers: MessagePropertyHeaders | undefined,
  marks: ReplayMarks,
): MessagePropertyHeaders {
  const copy: MessagePropertyHeaders = { ...(headers ?? {}) };
  for (const name of [
    ...FAILURE_HEADERS,
    MessageHeaders.replayId,
    MessageHeaders.originalCorrelationId,
    MessageHeaders.editedFrom,
  ]) {
    delete copy[name];
  }
  copy[MessageHeaders.replayId] = marks.replayId;
  if (marks.originalCorrelationId) {
    copy[MessageHeaders.originalCorrelationId] = marks.originalCorrelationId;
  }
  if (marks.editedFrom) copy[MessageHeaders.editedFrom] = marks.editedFrom;
  return copy;
}
