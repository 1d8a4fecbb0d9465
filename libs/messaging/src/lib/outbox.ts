import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@shop/contracts';
import { Executor } from '@shop/persistence';
import { sql } from 'drizzle-orm';
import { OUTBOX_CHANNEL } from './messaging.options';
import { outbox } from './messaging.schema';

/**
 * Writes events to publish, inside the caller's transaction: they exist if and only if the
 * business change committed. Services never publish directly.
 */
@Injectable()
export class Outbox {
  async add(tx: Executor, ...events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.insert(outbox).values(
      events.map((event) => ({
        eventId: event.eventId,
        eventType: event.eventType,
        envelope: event,
      })),
    );
    // Delivered by PostgreSQL only when the transaction commits: the relay wakes exactly then.
    await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
  }
}
