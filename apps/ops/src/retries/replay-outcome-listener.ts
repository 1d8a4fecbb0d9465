import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Database, DATABASE } from '@shop/persistence';
import { OPS_QUEUES, parseReplayOutcome, QueueProcessors } from '@shop/rmq';
import type { ConsumeMessage } from 'amqplib';
import { and, eq, isNull } from 'drizzle-orm';
import { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { replays } from '../dead-letters/dead-letter.schema';

/**
 * Consumes `ops.replay-outcomes`: a service handled a message ops retried, so its dead letter
 * is resolved. No service is ever polled.
 */
@Injectable()
export class ReplayOutcomeListener implements OnModuleInit {
  private readonly log = new Logger(ReplayOutcomeListener.name);

  constructor(
    private readonly processors: QueueProcessors,
    private readonly store: DeadLetterStore,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  onModuleInit(): void {
    this.processors.process({
      queue: OPS_QUEUES.replayOutcomes,
      handle: (message) => this.onOutcome(message),
    });
  }

  private async onOutcome(message: ConsumeMessage): Promise<void> {
    const outcome = parseReplayOutcome(message.content);
    if (!outcome) {
      this.log.warn(
        `dropped a message of ${OPS_QUEUES.replayOutcomes} that is not a replay outcome`,
      );
      return;
    }
    await this.db.transaction(async (tx) => {
      const [replay] = await tx
        .update(replays)
        .set({ outcome: outcome.outcome, outcomeAt: new Date(outcome.at) })
        .where(and(eq(replays.id, outcome.replayId), isNull(replays.outcome)))
        .returning();
      if (!replay) return; // unknown, or a redelivered acknowledgement already applied
      const detail = `${outcome.service} ${outcome.outcome === 'duplicate' ? 'had already handled it (duplicate)' : 'handled it'}`;
      // `unresolved` too: a late acknowledgement, after the watchdog gave up waiting, still
      // means the service handled the event.
      const resolved = await this.store.transition(
        replay.deadLetterId,
        ['retrying', 'unresolved'],
        'resolved',
        { kind: 'retry-succeeded', replayId: replay.id, detail },
        { pendingReplayId: null },
        tx,
      );
      // An edited retry resolved its dead letter when it was sent; its outcome is history only.
      if (!resolved) {
        await this.store.addHistory(tx, replay.deadLetterId, {
          kind: 'retry-succeeded',
          replayId: replay.id,
          detail,
        });
      }
    });
  }
}
