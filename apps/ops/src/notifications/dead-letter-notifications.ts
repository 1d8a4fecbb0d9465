import { Inject, Injectable } from '@nestjs/common';
import { Executor } from '@shop/persistence';
import { notificationsConfig, NotificationsConfig } from './notifications.config';
import { pendingDeadLetterNotices } from './notification.schema';

export interface StoredDeadLetter {
  groupId: string;
  groupTitle: string;
  service: string;
  eventType: string | null;
  reason: string;
  at: Date;
}

/**
 * The collector's hook: called inside the transaction that stores a dead letter, so the
 * notice commits with it or not at all. One insert, no shared row updated: collectors never
 * queue on each other here. NotificationSender counts the notices into one message per group.
 */
@Injectable()
export class DeadLetterNotifications {
  constructor(@Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig) {}

  async recordInTransaction(tx: Executor, letter: StoredDeadLetter): Promise<void> {
    // Nobody to tell: nothing recorded, so nothing piles up for a webhook configured later.
    if (!this.config.OPS_WEBHOOK_URL) return;
    await tx.insert(pendingDeadLetterNotices).values({
      groupId: letter.groupId,
      groupTitle: letter.groupTitle,
      service: letter.service,
      eventType: letter.eventType,
      reason: letter.reason,
      deadLetteredAt: letter.at,
    });
  }
}
