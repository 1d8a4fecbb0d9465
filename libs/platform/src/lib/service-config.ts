import { ConfigObject, getConfigToken, registerAs } from '@nestjs/config';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const delayList = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'expected comma-separated milliseconds, e.g. 1000,5000,30000')
  .transform((value) => value.split(',').map((part) => Number(part.trim())))
  .refine((delays) => delays.every((delay) => delay > 0), 'every delay must be above 0');

/** The environment every service reads (README, "Configuration"). */
export function serviceConfigSchema(service: string, defaultPort: number) {
  return z.object({
    PORT: int(0, 65_535).default(defaultPort),
    RABBITMQ_URL: z.url({ protocol: /^amqps?$/ }).default('amqp://guest:guest@localhost:5672'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/ })
      .default(`postgres://postgres@localhost:5432/${service}`),
    DATABASE_POOL_SIZE: int(1, 200).default(10),
    RABBITMQ_PREFETCH: int(1, 10_000).default(20),
    RETRY_MAX_ATTEMPTS: int(1, 100).default(5),
    RETRY_DELAYS_MS: delayList.default([1000, 5000, 30000]),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    SHUTDOWN_DRAIN_TIMEOUT_MS: int(0, 600_000).default(20_000),
    OUTBOX_POLL_INTERVAL_MS: int(10, 600_000).default(1_000),
    /** Handled inbox rows and published outbox rows older than this are deleted. */
    MESSAGE_RETENTION_DAYS: int(1, 3_650).default(7),
    /** How often each instance publishes `heartbeat.<service>` on `shop.monitoring`. */
    HEARTBEAT_INTERVAL_MS: int(100, 3_600_000).default(10_000),
    /** Log lines at or above this level also go to `log.<service>.<level>`, as GELF. */
    LOG_BUS_LEVEL: z.enum(LOG_LEVELS).default('warn'),
  });
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>> & {
  SERVICE_NAME: string;
};

/** Raised for bad configuration; the process prints it and exits instead of starting. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/** Validates env vars against a schema; unset and empty variables take their defaults. */
export function parseConfig<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv,
  label: string,
): z.infer<T> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new InvalidConfigError(`invalid configuration for ${label}:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** Nest injection token of the validated `ServiceConfig`. */
export const SERVICE_CONFIG = getConfigToken('service');

/**
 * Variables only one service reads (payments' gateway knobs, orders' deadline), validated the
 * same way as the shared ones. Register the result with `ConfigModule.forFeature` and inject
 * it with `@Inject(config.KEY)`; a bad value stops start-up with
 * "invalid configuration for <label>".
 */
export function featureConfig<T extends z.ZodType<ConfigObject>>(
  namespace: string,
  schema: T,
  label: string,
) {
  return registerAs(namespace, (): z.infer<T> => parseConfig(schema, process.env, label));
}

/** Validated when Nest builds the module graph, so a bad value stops start-up with a clear message. */
export function serviceConfig(service: string, defaultPort: number) {
  return registerAs(
    'service',
    (): ServiceConfig => ({
      ...parseConfig(serviceConfigSchema(service, defaultPort), process.env, service),
      SERVICE_NAME: service,
    }),
  );
}
