import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';

export const journalConfigSchema = z.object({
  /** Journal rows older than this are deleted, a small batch at a time. */
  OPS_JOURNAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(7),
});

export const journalConfig = featureConfig('journal', journalConfigSchema, 'ops');

export type JournalConfig = ConfigType<typeof journalConfig>;
