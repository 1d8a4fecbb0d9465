import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';

export const replayConfigSchema = z.object({
  /**
   * A retry with no outcome after this long goes back to `unresolved`, so it can be retried
   * again: longer than a whole retry ladder, so a replay still retrying in its service is left
   * alone (default 10 minutes).
   */
  OPS_REPLAY_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
});

export const replayConfig = featureConfig('replay', replayConfigSchema, 'ops');

export type ReplayConfig = ConfigType<typeof replayConfig>;
