import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainEvent } from '@shop/contracts';
import { DATABASE, Database, Transaction } from '@shop/persistence';
import { SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import { sql } from 'drizzle-orm';
import { duplicatesSkipped } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { inbox } from './messaging.schema';

export type InboxOutcome = 'handled' | 'duplicate';

/**
 * Exactly-once effects on at-least-once delivery: the inbox row and the handler's writes
 * (outbox rows included) commit in one transaction, so an event is handled once however
 * often it is delivered.
 */
@Injectable()
export class Inbox {
  private readonly log = new Logger(Inbox.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    // At zero from the start, like the consumer's other series (see initialiseMessageMetrics).
    const subscribed: readonly string[] =
      SHOP_SUBSCRIPTIONS[options.consumer as keyof typeof SHOP_SUBSCRIPTIONS] ?? [];
    for (const eventType of subscribed) duplicatesSkipped.inc({ event_type: eventType }, 0);
  }

  async handleOnce(
    event: DomainEvent,
    work: (tx: Transaction) => Promise<void>,
  ): Promise<InboxOutcome> {
    const outcome = await this.db.transaction(async (tx): Promise<InboxOutcome> => {
      // A concurrent delivery of the same event blocks on this row until we commit, then
      // finds it: two instances never both handle one event.
      const claimed = await tx.execute(sql`
        INSERT INTO ${inbox} (consumer, event_id, event_type)
        VALUES (${this.options.consumer}, ${event.eventId}, ${event.eventType})
        ON CONFLICT DO NOTHING`);
      if (claimed.rowCount === 0) return 'duplicate';
      await work(tx);
      return 'handled';
    });
    if (outcome === 'duplicate') {
      duplicatesSkipped.inc({ event_type: event.eventType });
      this.log.log({
        msg: `duplicate ${event.eventType} skipped: already handled by ${this.options.consumer}`,
        eventId: event.eventId,
        correlationId: event.metadata.correlationId,
      });
    }
    return outcome;
  }
}
