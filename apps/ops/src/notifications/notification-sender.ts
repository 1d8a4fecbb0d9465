import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DATABASE, Database, PeriodicTask } from '@shop/persistence';
import { eq, sql } from 'drizzle-orm';
import { retryDelayAfter } from './delivery-backoff';
import { deadLetterMessage, DeadLetterWindow } from './notification-messages';
import { NotificationRow, notifications } from './notification.schema';
import { notificationsConfig, NotificationsConfig } from './notifications.config';
import { notificationsFailed, notificationsSent } from './notifications.metrics';

const TICK_MS = 1_000;
/** Messages claimed per tick. */
const SEND_BATCH = 10;
/** A webhook that has not answered by then has failed this attempt. */
const POST_TIMEOUT_MS = 10_000;
/** A claimed message is not claimed again before this, even if its sender died mid-POST. */
const CLAIM_LEASE_MS = 3 * POST_TIMEOUT_MS;

/**
 * Every second: closes the dead-letter windows whose time is up (one message per failure
 * group), then POSTs the messages that are due. Runs beside collection, never inside it: a slow
 * or failing webhook delays messages, never dead letters. Several ops instances can run it: a
 * window is counted by the one statement that deletes its notices, and a message is claimed
 * with `FOR UPDATE SKIP LOCKED`. Delivery is at least once (ops dying between the webhook's 2xx
 * and the status update sends the message again after the lease).
 */
@Injectable()
export class NotificationSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(NotificationSender.name);
  private readonly loop = new PeriodicTask({
    name: 'notification sending',
    intervalMs: TICK_MS,
    run: () => this.tick(),
  });

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.OPS_WEBHOOK_URL) this.loop.start();
    else this.log.log('OPS_WEBHOOK_URL is not set: no notifications are recorded or sent');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async tick(): Promise<void> {
    await this.closeDueWindows();
    for (;;) {
      const claimed = await this.claimDue();
      await Promise.all(claimed.map((notification) => this.deliver(notification)));
      if (claimed.length < SEND_BATCH) return;
    }
  }

  /** Turns each group whose oldest pending notice is older than the window into one message. */
  private async closeDueWindows(): Promise<void> {
    const windowSeconds = this.config.OPS_NOTIFY_WINDOW_MS / 1_000;
    await this.db.transaction(async (tx) => {
      // One statement: the rows counted are exactly the rows deleted, whatever commits meanwhile.
      const result = await tx.execute<{
        group_id: string;
        group_title: string;
        service: string;
        event_type: string | null;
        reason: string;
        count: number;
        first_at: string;
        last_at: string;
      }>(sql`
        WITH due AS (
          SELECT group_id FROM notification_dead_letters
          GROUP BY group_id
          HAVING min(recorded_at) <= now() - make_interval(secs => ${windowSeconds})
        ), taken AS (
          DELETE FROM notification_dead_letters n USING due
          WHERE n.group_id = due.group_id
          RETURNING n.*
        )
        SELECT group_id, min(group_title) AS group_title, min(service) AS service,
               min(event_type) AS event_type, min(reason) AS reason, count(*)::int AS count,
               min(dead_lettered_at) AS first_at, max(dead_lettered_at) AS last_at
        FROM taken GROUP BY group_id`);
      if (result.rows.length === 0) return;
      const windows: DeadLetterWindow[] = result.rows.map((row) => ({
        groupId: row.group_id,
        groupTitle: row.group_title,
        service: row.service,
        eventType: row.event_type,
        reason: row.reason,
        count: row.count,
        firstAt: new Date(row.first_at),
        lastAt: new Date(row.last_at),
      }));
      await tx.insert(notifications).values(
        windows.map((window) => ({
          kind: 'dead-letters' as const,
          message: deadLetterMessage(window, this.config.OPS_PUBLIC_URL),
        })),
      );
    });
  }

  /** Pending messages that are due, each leased for one attempt. */
  private async claimDue(): Promise<NotificationRow[]> {
    return this.db
      .update(notifications)
      .set({
        attempts: sql`${notifications.attempts} + 1`,
        nextAttemptAt: sql`now() + make_interval(secs => ${CLAIM_LEASE_MS / 1_000})`,
      })
      .where(
        sql`${notifications.id} IN (
          SELECT id FROM notifications
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT ${SEND_BATCH}
          FOR UPDATE SKIP LOCKED)`,
      )
      .returning();
  }

  private async deliver(notification: NotificationRow): Promise<void> {
    const problem = await this.post(notification);
    if (problem === undefined) {
      notificationsSent.inc({ kind: notification.kind });
      await this.db
        .update(notifications)
        .set({ status: 'sent', sentAt: new Date(), lastError: null })
        .where(eq(notifications.id, notification.id));
      return;
    }
    notificationsFailed.inc({ kind: notification.kind });
    const delay = retryDelayAfter(notification.attempts);
    if (delay === 'give-up') {
      this.log.error(
        `notification ${notification.id} given up after ${notification.attempts} attempts: ${problem}`,
      );
    } else {
      this.log.warn(
        `notification ${notification.id} not delivered (attempt ${notification.attempts}, next in ${delay} ms): ${problem}`,
      );
    }
    await this.db
      .update(notifications)
      .set(
        delay === 'give-up'
          ? { status: 'failed', lastError: problem }
          : {
              lastError: problem,
              nextAttemptAt: sql`now() + make_interval(secs => ${delay / 1_000})`,
            },
      )
      .where(eq(notifications.id, notification.id));
  }

  /** undefined when the webhook took it (2xx), else what went wrong. */
  private async post(notification: NotificationRow): Promise<string | undefined> {
    try {
      const response = await fetch(this.config.OPS_WEBHOOK_URL as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notification.message),
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      if (response.ok) return undefined;
      const body = (await response.text()).slice(0, 200);
      return `HTTP ${response.status}${body ? `: ${body}` : ''}`;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
