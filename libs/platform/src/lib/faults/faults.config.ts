import { z } from 'zod';
import { featureConfig, isProduction } from '../service-config';
import { FaultPlanSchema } from './fault-plan';

const bool = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Parsed from `FAULTS` (JSON): start-system passes a restarted instance the faults it had left. */
const faultsJson = z.string().transform((text, context) => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'expected JSON' });
    return z.NEVER;
  }
  const plan = FaultPlanSchema.safeParse(json);
  if (!plan.success) {
    context.addIssue({ code: 'custom', message: z.prettifyError(plan.error) });
    return z.NEVER;
  }
  return plan.data;
});

/**
 * `/admin/faults`: on outside production, off in production unless ADMIN_API_ENABLED=true;
 * and never without an ADMIN_TOKEN to guard it.
 */
export const faultsConfig = featureConfig(
  'faults',
  z.object({
    ADMIN_API_ENABLED: bool.optional(),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    FAULTS: faultsJson.optional(),
    NODE_ENV: z.string().optional(),
  }),
  'the fault switches',
);

export interface FaultsSettings {
  /** Whether /admin/faults is served at all. */
  enabled: boolean;
  /** Why it is not, when it is not. */
  disabledBecause?: string;
  token?: string;
}

export function faultsSettings(config: ReturnType<typeof faultsConfig>): FaultsSettings {
  const wanted = config.ADMIN_API_ENABLED ?? !isProduction({ NODE_ENV: config.NODE_ENV });
  if (!wanted)
    return {
      enabled: false,
      disabledBecause: 'NODE_ENV=production and ADMIN_API_ENABLED is not true',
    };
  if (!config.ADMIN_TOKEN) return { enabled: false, disabledBecause: 'ADMIN_TOKEN is not set' };
  return { enabled: true, token: config.ADMIN_TOKEN };
}

export const FAULTS_SETTINGS = Symbol('FAULTS_SETTINGS');
