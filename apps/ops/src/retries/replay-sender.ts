import { Inject, Injectable } from '@nestjs/common';
import { DomainEvent, validateEvent } from '@shop/contracts';
import { Database, DATABASE } from '@shop/persistence';
import {
  encodeEvent,
  eventMessageProperties,
  replayHeaders,
  RmqPublisher,
  serviceQueueNames,
} from '@shop/rmq';
import type { Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { DeadLetterRow, replays } from '../dead-letters/dead-letter.schema';

/** What asking for one retry led to. */
export type RetryOutcome =
  | { outcome: 'sent'; replayId: string; letter: DeadLetterRow }
  | { outcome: 'not-found' }
  /** Already retrying, resolved or archived: nothing sent. */
  | { outcome: 'not-retryable'; status: string }
  /** `data` does not satisfy the event's contract. */
  | { outcome: 'invalid-edit'; message: string }
  /** The broker did not take it; the dead letter is back to `unresolved`. */
  | { outcome: 'not-sent'; message: string };

export interface RetryRequest {
  actor: string;
  reason?: string | null;
  jobId?: string | null;
  /** Edit-and-retry: the new `data` of the event. */
  data?: Record<string, unknown>;
}

/**
 * Sends a dead letter back to the queue of the service where it failed, and only there: that
 * service's redirect exchange (`<service>.dlx`) with the queue's name as routing key, never
 * `shop.events`, so the other consumers of the event do not see it again
 * (docs/architecture.md, "Replay").
 */
@Injectable()
export class ReplaySender {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly store: DeadLetterStore,
    private readonly publisher: RmqPublisher,
  ) {}

  async retry(id: string, request: RetryRequest): Promise<RetryOutcome> {
    const letter = await this.store.find(id);
    if (!letter) return { outcome: 'not-found' };
    if (letter.status !== 'unresolved') return { outcome: 'not-retryable', status: letter.status };
    const replayId = randomUUID();
    const message = request.data
      ? this.editedMessage(letter, request.data, replayId)
      : { outcome: 'ready' as const, ...this.sameMessage(letter, replayId) };
    if (message.outcome === 'invalid-edit') return message;

    // Claimed first, so that two retries of one dead letter never both send.
    const claimed = await this.db.transaction(async (tx) => {
      const row = await this.store.transition(
        id,
        ['unresolved'],
        request.data ? 'resolved' : 'retrying',
        {
          kind: request.data ? 'edited-and-retried' : 'retry-sent',
          actor: request.actor,
          reason: request.reason,
          jobId: request.jobId,
          replayId,
          detail: request.data ? `sent as event ${message.eventId}` : null,
        },
        { pendingReplayId: request.data ? null : replayId },
        tx,
      );
      if (row) {
        await tx.insert(replays).values({
          id: replayId,
          deadLetterId: id,
          eventId: message.eventId,
          edited: request.data ? 1 : 0,
        });
      }
      return row;
    });
    if (!claimed) return { outcome: 'not-retryable', status: 'retrying' };

    try {
      await this.publisher.publish({
        exchange: serviceQueueNames(letter.service).dlx,
        routingKey: serviceQueueNames(letter.service).events,
        content: message.content,
        properties: message.properties,
      });
    } catch (error) {
      await this.store.transition(
        id,
        ['retrying', 'resolved'],
        'unresolved',
        {
          kind: 'retry-failed',
          actor: request.actor,
          replayId,
          jobId: request.jobId,
          detail: `not sent: ${(error as Error).message}`,
        },
        { pendingReplayId: null },
      );
      return { outcome: 'not-sent', message: (error as Error).message };
    }
    return { outcome: 'sent', replayId, letter: claimed };
  }

  /** The same bytes and eventId; a new AMQP correlationId, the failure story dropped. */
  private sameMessage(letter: DeadLetterRow, replayId: string) {
    const properties = letter.properties as Options.Publish;
    const originalCorrelationId =
      typeof properties.correlationId === 'string' ? properties.correlationId : undefined;
    return {
      eventId: letter.eventId ?? letter.identity,
      content: letter.payload,
      properties: {
        ...pick(properties),
        correlationId: randomUUID(),
        headers: replayHeaders(letter.headers, { replayId, originalCorrelationId }),
      } satisfies Options.Publish,
    };
  }

  /** A new event (new eventId) with the edited data, validated against its contract first. */
  private editedMessage(letter: DeadLetterRow, data: Record<string, unknown>, replayId: string) {
    const original = letter.payloadJson;
    if (typeof original !== 'object' || original === null || Array.isArray(original)) {
      return {
        outcome: 'invalid-edit' as const,
        message: 'only an event envelope can be edited; this dead letter is not JSON',
      };
    }
    const candidate = { ...(original as Record<string, unknown>), eventId: randomUUID(), data };
    const validation = validateEvent(candidate);
    if (validation.outcome !== 'valid') {
      return { outcome: 'invalid-edit' as const, message: validation.detail };
    }
    const event: DomainEvent = validation.event;
    const properties = eventMessageProperties(event);
    return {
      outcome: 'ready' as const,
      eventId: event.eventId,
      content: encodeEvent(event),
      properties: {
        ...properties,
        headers: replayHeaders(properties.headers, {
          replayId,
          editedFrom: letter.eventId ?? letter.identity,
        }),
      },
    };
  }
}

/** The AMQP properties a replay keeps (never `expiration` or `userId`). */
function pick(properties: Options.Publish): Options.Publish {
  const { contentType, contentEncoding, messageId, timestamp, type, appId } = properties;
  return Object.fromEntries(
    Object.entries({ contentType, contentEncoding, messageId, timestamp, type, appId }).filter(
      ([, value]) => value !== undefined && value !== null,
    ),
  );
}
