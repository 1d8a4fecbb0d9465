import { Injectable, OnModuleInit } from '@nestjs/common';
import { DatabaseService } from '@shop/persistence';
import { OPS_QUEUES, QueueProcessors } from '@shop/rmq';
import type { ConsumeMessage } from 'amqplib';
import { Counter } from 'prom-client';
import { journalEntry } from './journal-entry';
import { journalEvents, NewJournalEvent } from './journal.schema';

/** A batch is written when it has this many messages, or when the oldest has waited this long. */
export const JOURNAL_BATCH_SIZE = 200;
export const JOURNAL_BATCH_WAIT_MS = 50;
/** Enough unacked deliveries to fill a batch while the previous one is being written. */
const JOURNAL_PREFETCH = 2 * JOURNAL_BATCH_SIZE;

const journalRowsWritten = new Counter({
  name: 'ops_journal_messages_written_total',
  help: 'Messages of ops.journal committed to the journal (redeliveries already stored count too, once more)',
});

interface Pending {
  row: NewJournalEvent;
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Keeps every message of `shop.events` (queue `ops.journal`): batched into one INSERT of up to
 * 200 rows or 50 ms, each delivery acked once its batch committed. A redelivered event is
 * stored once (unique eventId + routing key). A failed batch puts all its messages back.
 */
@Injectable()
export class JournalWriter implements OnModuleInit {
  private batch: Pending[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly database: DatabaseService,
    private readonly processors: QueueProcessors,
  ) {}

  onModuleInit(): void {
    this.processors.process({
      queue: OPS_QUEUES.journal,
      prefetch: JOURNAL_PREFETCH,
      handle: (message) => this.store(message),
    });
  }

  /** Resolves once the message's batch committed. */
  store(message: ConsumeMessage): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.batch.push({ row: journalEntry(message), done, failed });
      if (this.batch.length >= JOURNAL_BATCH_SIZE) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), JOURNAL_BATCH_WAIT_MS);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    try {
      await this.database.db
        .insert(journalEvents)
        .values(batch.map((pending) => pending.row))
        .onConflictDoNothing({ target: [journalEvents.eventId, journalEvents.routingKey] });
    } catch (error) {
      for (const pending of batch) pending.failed(error);
      return;
    }
    journalRowsWritten.inc(batch.length);
    for (const pending of batch) pending.done();
  }
}
