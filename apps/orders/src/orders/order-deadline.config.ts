import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1_000;

export const orderDeadlineConfigSchema = z.object({
  /**
   * How long an order may stay PENDING before it is cancelled with TIMEOUT. Keep it well above
   * the time a step may spend in retries (RETRY_DELAYS_MS × RETRY_MAX_ATTEMPTS), or slow
   * orders are cancelled along with lost ones.
   */
  ORDER_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(THIRTY_DAYS_MS).default(300_000),
});

export const orderDeadlineConfig = featureConfig(
  'orderDeadline',
  orderDeadlineConfigSchema,
  'orders',
);

export type OrderDeadlineConfig = ConfigType<typeof orderDeadlineConfig>;

/** Sweeps often enough to cancel an order within a tenth of the timeout, and at least every 30 s. */
export function deadlineSweepIntervalMs(timeoutMs: number): number {
  return Math.min(30_000, Math.max(250, Math.round(timeoutMs / 10)));
}
