import { ConfigObject, getConfigToken, registerAs } from '@nestjs/config';
import {
  brokerUrls,
  DEFAULT_QUEUE_TYPE,
  DEFAULT_RETRY_DELAYS_MS,
  QUEUE_TYPES,
  redactUrl,
} from '@shop/rmq';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const delayList = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'expected comma-separated milliseconds, e.g. 1000,5000,30000')
  .transform((value) => value.split(',').map((part) => Number(part.trim())))
  .refine((delays) => delays.every((delay) => delay > 0), 'every delay must be above 0');

const amqpUrl = z.url({ protocol: /^amqps?$/ });

/**
 * One AMQP URL, or a cluster's nodes as whole URLs separated by commas. Kept as the string it
 * was given (RmqConnection splits it), once every part is a valid URL.
 */
export const brokerUrlList = z
  .string()
  .refine(
    (value) => value.split(',').every((part) => amqpUrl.safeParse(part.trim()).success),
    "expected amqp:// or amqps:// URLs, separated by commas for a cluster's nodes",
  )
  .transform((value) => brokerUrls(value).join(','));

/** `NODE_ENV=production` turns off every development default that carries a credential. */
export function isProduction(env: NodeJS.ProcessEnv): boolean {
  return env['NODE_ENV'] === 'production';
}

/** Where metrics go in production unless `METRICS_PORT` says otherwise: not the public port. */
export const PRODUCTION_METRICS_PORT = 9464;

/**
 * Convenient on a laptop with RabbitMQ and PostgreSQL on localhost, as administrators. Refused
 * in production, where each service gets its own least-privileged user (`npm run setup`).
 */
export function developmentDefaults(service: string) {
  return {
    RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
    DATABASE_URL: `postgres://postgres@localhost:5432/${service}`,
  };
}

/** The environment every service reads (README, "Configuration"). */
export function serviceConfigSchema(
  service: string,
  defaultPort: number,
  { production = false }: { production?: boolean } = {},
) {
  const defaults = developmentDefaults(service);
  const rabbitmqUrl = brokerUrlList;
  const databaseUrl = z.url({ protocol: /^postgres(ql)?$/ });
  return z.object({
    PORT: int(0, 65_535).default(defaultPort),
    RABBITMQ_URL: production ? rabbitmqUrl : rabbitmqUrl.default(defaults.RABBITMQ_URL),
    DATABASE_URL: production ? databaseUrl : databaseUrl.default(defaults.DATABASE_URL),
    /**
     * Serves `/metrics` on this port instead of `PORT`, which then has no `/metrics`. In
     * production it defaults to 9464, so metrics are never on the public port.
     */
    METRICS_PORT: production
      ? int(1, 65_535).default(PRODUCTION_METRICS_PORT)
      : int(1, 65_535).optional(),
    DATABASE_POOL_SIZE: int(1, 200).default(10),
    RABBITMQ_PREFETCH: int(1, 10_000).default(20),
    /** The type of every queue the service declares: `quorum` (replicated) or `classic`. */
    RABBITMQ_QUEUE_TYPE: z.enum(QUEUE_TYPES).default(DEFAULT_QUEUE_TYPE),
    RETRY_MAX_ATTEMPTS: int(1, 100).default(5),
    RETRY_DELAYS_MS: delayList.default(DEFAULT_RETRY_DELAYS_MS),
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
  PRODUCTION: boolean;
  /** Development defaults in use (never in production), printed at start-up. */
  DEVELOPMENT_DEFAULTS: string[];
};

/** Raised for bad configuration; the process prints it and exits instead of starting. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/**
 * Validates env vars against a schema; unset and empty variables take their defaults. A bad
 * value is quoted in the error, but never a secret: URLs lose their password, tokens all of it.
 */
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
      const value = present[name];
      if (value === undefined) {
        const why = isProduction(env) ? ' (NODE_ENV=production has no development defaults)' : '';
        // zod's own words for a missing value ("expected string, received undefined") say less.
        const detail = issue.code === 'invalid_type' ? 'it is required' : issue.message;
        return `  ${name} is not set${why}: ${detail}`;
      }
      return `  ${name}=${JSON.stringify(shownValue(name, value))}: ${issue.message}`;
    });
    throw new InvalidConfigError(`invalid configuration for ${label}:\n${problems.join('\n')}`);
  }
  return result.data;
}

const SECRET_NAME = /TOKEN|PASSWORD|SECRET|KEY/;
const URL_NAME = /_URLS?$/;

/** A variable's value as it may appear in a message or a log line. */
export function shownValue(name: string, value: string): string {
  if (SECRET_NAME.test(name)) return '***';
  if (URL_NAME.test(name)) {
    return value
      .split(',')
      .map((part) => (part.includes('@') ? redactUrl(part.trim()) : part))
      .join(',');
  }
  return value;
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
    (): ServiceConfig => readServiceConfig(service, defaultPort, process.env),
  );
}

export function readServiceConfig(
  service: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv,
): ServiceConfig {
  const production = isProduction(env);
  return {
    ...parseConfig(serviceConfigSchema(service, defaultPort, { production }), env, service),
    SERVICE_NAME: service,
    PRODUCTION: production,
    DEVELOPMENT_DEFAULTS: production
      ? []
      : Object.keys(developmentDefaults(service)).filter((name) => !env[name]),
  };
}
