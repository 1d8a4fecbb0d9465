import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';

export const orderRateLimitConfigSchema = z.object({
  /**
   * `POST /orders` per client address and minute; beyond it the answer is 429 with
   * `Retry-After`. Counted per instance, in memory. 0 turns the limit off (the benchmark).
   */
  ORDERS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
});

export const orderRateLimitConfig = featureConfig(
  'orderRateLimit',
  orderRateLimitConfigSchema,
  'orders',
);

export type OrderRateLimitConfig = ConfigType<typeof orderRateLimitConfig>;

export const RATE_LIMIT_WINDOW_MS = 60_000;
