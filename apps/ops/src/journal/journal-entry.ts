import { validateEvent } from '@shop/contracts';
import type { ConsumeMessage } from 'amqplib';
import type { NewJournalEvent } from './journal.schema';

/** A message from `ops.journal` as a journal row: the envelope's fields, or the raw bytes and why. */
export function journalEntry(message: ConsumeMessage): NewJournalEvent {
  const routingKey = message.fields.routingKey;
  const text = message.content.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(message, text, `not JSON: ${(error as Error).message}`);
  }
  const validation = validateEvent(json);
  if (validation.outcome !== 'valid') {
    return invalid(message, text, `${validation.reason}: ${validation.detail}`);
  }
  const { event } = validation;
  const orderId = (event.data as { orderId?: unknown }).orderId;
  return {
    routingKey,
    eventId: event.eventId,
    eventType: event.eventType,
    source: event.source,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    orderId: typeof orderId === 'string' ? orderId : null,
    occurredAt: new Date(event.timestamp),
    envelope: event,
  };
}

/** What the AMQP properties claim is kept, so a poison message is still findable by its ids. */
function invalid(message: ConsumeMessage, raw: string, reason: string): NewJournalEvent {
  const { messageId, type, correlationId } = message.properties;
  return {
    routingKey: message.fields.routingKey,
    eventId: typeof messageId === 'string' ? messageId : null,
    eventType: typeof type === 'string' ? type : null,
    correlationId: typeof correlationId === 'string' ? correlationId : null,
    raw,
    invalidReason: reason,
  };
}
