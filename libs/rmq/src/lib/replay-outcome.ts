import type { ConsumeMessage } from 'amqplib';
import { headerString, MessageHeaders } from './message-headers';
import type { OutgoingMessage } from './rmq-publisher';
import { MONITORING_EXCHANGE, replayOutcomeRoutingKey } from './topology';

/** `duplicate`: the service had handled this event before (its inbox skipped it). */
export type ReplayHandling = 'handled' | 'duplicate';

/** What a service says, on `shop.monitoring`, once it handled a message ops retried. */
export interface ReplayOutcome {
  replayId: string;
  service: string;
  eventId: string;
  outcome: ReplayHandling;
  /** ISO-8601. */
  at: string;
}

/** The replay id ops put on a delivery, if it is a replay. */
export function replayIdOf(message: ConsumeMessage): string | undefined {
  return headerString(message.properties.headers, MessageHeaders.replayId);
}

/** The acknowledgement as a message: JSON on `shop.monitoring`, `replay.<service>.handled`. */
export function replayOutcomeMessage(outcome: ReplayOutcome): OutgoingMessage {
  return {
    exchange: MONITORING_EXCHANGE,
    routingKey: replayOutcomeRoutingKey(outcome.service),
    content: Buffer.from(JSON.stringify(outcome)),
    properties: { contentType: 'application/json', type: 'ReplayOutcome' },
  };
}

/** Reads an acknowledgement; undefined when the bytes are not one. */
export function parseReplayOutcome(content: Buffer): ReplayOutcome | undefined {
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  const strings = ['replayId', 'service', 'eventId', 'at'].every(
    (key) => typeof candidate[key] === 'string',
  );
  const outcome = candidate['outcome'];
  return strings && (outcome === 'handled' || outcome === 'duplicate')
    ? (candidate as unknown as ReplayOutcome)
    : undefined;
}
