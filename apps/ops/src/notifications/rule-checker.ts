import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DATABASE, Database, PeriodicTask } from '@shop/persistence';
import { eq, sql } from 'drizzle-orm';
import { declineRateAbove, ruleTransition } from './decline-rate';
import { declineRateMessage, largeOrderMessage } from './notification-messages';
import { notificationRuleStates, notifications } from './notification.schema';
import {
  LargeOrderConfirmedRule,
  notificationsConfig,
  NotificationsConfig,
  PaymentDeclineRateRule,
} from './notifications.config';

const CHECK_EVERY_MS = 5_000;
/**
 * Confirmations looked at on each check. Older ones were seen by earlier checks (their
 * messages' dedupe keys stop repeats); after an outage of ops longer than this they are history.
 */
const LARGE_ORDER_LOOKBACK_MINUTES = 60;

/**
 * Evaluates OPS_NOTIFY_RULES over the journal every 5 s. Each firing is notified once:
 * a large order through its message's dedupe key (`large-order-confirmed:<orderId>`), the
 * decline rate through its row in `notification_rule_states` (a message when it starts and
 * when it stops firing). Messages go to the same outbox as the dead letters.
 */
@Injectable()
export class RuleChecker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(RuleChecker.name);
  private readonly loop = new PeriodicTask({
    name: 'notification rule check',
    intervalMs: CHECK_EVERY_MS,
    run: () => this.check(),
  });

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.OPS_WEBHOOK_URL && this.config.OPS_NOTIFY_RULES.length > 0) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async check(): Promise<void> {
    for (const rule of this.config.OPS_NOTIFY_RULES) {
      if (rule.rule === 'large-order-confirmed') await this.checkLargeOrders(rule);
      else await this.checkDeclineRate(rule);
    }
  }

  private async checkLargeOrders(rule: LargeOrderConfirmedRule): Promise<void> {
    const result = await this.db.execute<{
      order_id: string;
      customer_id: string | null;
      amount_cents: string;
      currency: string;
    }>(sql`
      SELECT DISTINCT ON (confirmed.order_id)
             confirmed.order_id,
             placed.envelope->'data'->>'customerId' AS customer_id,
             placed.envelope->'data'->'total'->>'amountCents' AS amount_cents,
             placed.envelope->'data'->'total'->>'currency' AS currency
      FROM journal_events confirmed
      JOIN journal_events placed
        ON placed.order_id = confirmed.order_id AND placed.event_type = 'OrderPlaced'
       AND placed.invalid_reason IS NULL
      WHERE confirmed.event_type = 'OrderConfirmed' AND confirmed.invalid_reason IS NULL
        AND confirmed.received_at > now() - make_interval(mins => ${LARGE_ORDER_LOOKBACK_MINUTES})
        AND (placed.envelope->'data'->'total'->>'amountCents')::bigint >= ${rule.minAmountCents}
      ORDER BY confirmed.order_id`);
    if (result.rows.length === 0) return;
    const inserted = await this.db
      .insert(notifications)
      .values(
        result.rows.map((row) => ({
          kind: 'business-rule' as const,
          dedupeKey: `large-order-confirmed:${row.order_id}`,
          message: largeOrderMessage(
            {
              orderId: row.order_id,
              customerId: row.customer_id,
              amountCents: Number(row.amount_cents),
              currency: row.currency,
            },
            rule.minAmountCents,
            this.config.OPS_PUBLIC_URL,
          ),
        })),
      )
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ id: notifications.id });
    if (inserted.length > 0) this.log.log(`${inserted.length} large order(s) confirmed: notifying`);
  }

  private async checkDeclineRate(rule: PaymentDeclineRateRule): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .insert(notificationRuleStates)
        .values({ rule: rule.rule, firing: false })
        .onConflictDoNothing();
      // Held until commit: two ops instances cannot both notify the same change.
      const [state] = await tx
        .select()
        .from(notificationRuleStates)
        .where(eq(notificationRuleStates.rule, rule.rule))
        .for('update');
      const result = await tx.execute<{ declined: number; payments: number }>(sql`
        SELECT count(*) FILTER (WHERE event_type = 'PaymentDeclined')::int AS declined,
               count(*)::int AS payments
        FROM journal_events
        WHERE event_type IN ('PaymentCaptured', 'PaymentDeclined') AND invalid_reason IS NULL
          AND received_at > now() - make_interval(secs => ${rule.windowMinutes * 60})`);
      const reading = result.rows[0];
      const transition = ruleTransition(state.firing, declineRateAbove(rule, reading));
      if (transition === 'none') return;
      await tx
        .update(notificationRuleStates)
        .set({ firing: transition === 'fire', changedAt: new Date() })
        .where(eq(notificationRuleStates.rule, rule.rule));
      await tx.insert(notifications).values({
        kind: 'business-rule',
        message: declineRateMessage(transition === 'fire' ? 'firing' : 'resolved', reading, rule),
      });
    });
  }
}
