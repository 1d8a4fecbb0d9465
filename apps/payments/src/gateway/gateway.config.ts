import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';

/** Knobs for workshops: make the simulated gateway slow or unreliable on purpose. */
export const gatewayConfigSchema = z.object({
  /** Probability (0..1) that a call fails transiently before the gateway does anything. */
  GATEWAY_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Added to every call, like the network round trip to a real provider. */
  GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

export const gatewayConfig = featureConfig('gateway', gatewayConfigSchema, 'payments gateway');

export type GatewayConfig = ConfigType<typeof gatewayConfig>;
