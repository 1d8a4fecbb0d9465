import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';

/** A confirmed order whose OrderPlaced total is at least this much (any currency). */
const largeOrderConfirmedRule = z
  .object({
    rule: z.literal('large-order-confirmed'),
    minAmountCents: z.number().int().positive(),
  })
  .strict();

/** Declined / (captured + declined) over the last `windowMinutes`, once there are enough payments. */
const paymentDeclineRateRule = z
  .object({
    rule: z.literal('payment-decline-rate'),
    windowMinutes: z.number().positive().max(1_440),
    above: z.number().min(0).max(1),
    minPayments: z.number().int().min(1).default(10),
  })
  .strict();

export const notifyRuleSchema = z.discriminatedUnion('rule', [
  largeOrderConfirmedRule,
  paymentDeclineRateRule,
]);

export type NotifyRule = z.infer<typeof notifyRuleSchema>;
export type LargeOrderConfirmedRule = z.infer<typeof largeOrderConfirmedRule>;
export type PaymentDeclineRateRule = z.infer<typeof paymentDeclineRateRule>;

const rulesFromJson = z
  .string()
  .transform((text, context): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(notifyRuleSchema)
      // A rule's name is its identity in what was already notified: one of each.
      .refine(
        (rules) => new Set(rules.map((rule) => rule.rule)).size === rules.length,
        'each rule may appear once',
      ),
  );

export const notificationsConfigSchema = z.object({
  /** Slack-compatible incoming webhook; unset = ops records and sends no notification. */
  OPS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Dead letters of one failure group arriving within this long become one message. */
  OPS_NOTIFY_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Business-event rules evaluated over the journal, a JSON array. */
  OPS_NOTIFY_RULES: rulesFromJson.default([]),
  /** Where people reach the console; messages link to `${OPS_PUBLIC_URL}/#/groups/<id>`. */
  OPS_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
});

export const notificationsConfig = featureConfig('notifications', notificationsConfigSchema, 'ops');

export type NotificationsConfig = ConfigType<typeof notificationsConfig>;
