import { brokerUrlList, InvalidConfigError, parseConfig } from '@shop/platform';
import {
  brokerUrls,
  DEFAULT_QUEUE_TYPE,
  QUEUE_TYPES,
  QueueType,
  servicesWithBrokerUsers,
  SHOP_SUBSCRIPTIONS,
} from '@shop/rmq';
import { z } from 'zod';

/** One URL, or a cluster's nodes separated by commas: the step uses the first that answers. */
const amqpUrl = brokerUrlList;
const postgresUrl = z.url({ protocol: /^postgres(ql)?$/ });

/** Convenient on a laptop with RabbitMQ and PostgreSQL on localhost; never used in production. */
export const DEVELOPMENT_ADMIN_DEFAULTS = {
  RABBITMQ_ADMIN_URL: 'amqp://guest:guest@localhost:5672',
  DATABASE_ADMIN_URL: 'postgres://postgres@localhost:5432/postgres',
};

export const SETUP_SERVICES = servicesWithBrokerUsers(SHOP_SUBSCRIPTIONS);

/** `<SERVICE>_RABBITMQ_URL` / `<SERVICE>_DATABASE_URL`: the URLs the service itself is given. */
export function serviceUrlVariables(service: string) {
  const prefix = service.toUpperCase();
  return { rabbitmq: `${prefix}_RABBITMQ_URL`, database: `${prefix}_DATABASE_URL` };
}

export interface SetupConfig {
  rabbitmqAdminUrl: string;
  managementUrl: string;
  databaseAdminUrl: string;
  /** The type of every queue, as the services are given it (`RABBITMQ_QUEUE_TYPE`). */
  queueType: QueueType;
  services: Array<{ service: string; rabbitmqUrl?: string; databaseUrl?: string }>;
  /** Variables that took their development default, to say so. */
  developmentDefaults: string[];
}

/**
 * The setup step's environment. In production every URL is required: administrators' for the
 * step itself, and each service's own (whose user, password and database it creates). In
 * development the administrators default to localhost, and a service without URLs is skipped.
 */
export function setupConfig(env: NodeJS.ProcessEnv): SetupConfig {
  const production = env['NODE_ENV'] === 'production';
  const required = <T extends z.ZodType>(schema: T) => (production ? schema : schema.optional());
  const shape: Record<string, z.ZodType> = {
    RABBITMQ_ADMIN_URL: production
      ? amqpUrl
      : amqpUrl.default(DEVELOPMENT_ADMIN_DEFAULTS.RABBITMQ_ADMIN_URL),
    RABBITMQ_MANAGEMENT_URL: z.url({ protocol: /^https?$/ }).optional(),
    RABBITMQ_QUEUE_TYPE: z.enum(QUEUE_TYPES).default(DEFAULT_QUEUE_TYPE),
    DATABASE_ADMIN_URL: production
      ? postgresUrl
      : postgresUrl.default(DEVELOPMENT_ADMIN_DEFAULTS.DATABASE_ADMIN_URL),
  };
  for (const service of SETUP_SERVICES) {
    const names = serviceUrlVariables(service);
    shape[names.rabbitmq] = required(amqpUrl);
    shape[names.database] = required(postgresUrl);
  }
  const parsed = parseConfig(z.object(shape), env, 'setup') as Record<string, string | undefined>;
  if (production) refusePlaceholders(parsed);
  const rabbitmqAdminUrl = parsed['RABBITMQ_ADMIN_URL'] as string;
  return {
    rabbitmqAdminUrl,
    managementUrl: parsed['RABBITMQ_MANAGEMENT_URL'] ?? managementUrlFor(rabbitmqAdminUrl),
    databaseAdminUrl: parsed['DATABASE_ADMIN_URL'] as string,
    queueType: parsed['RABBITMQ_QUEUE_TYPE'] as QueueType,
    services: SETUP_SERVICES.map((service) => {
      const names = serviceUrlVariables(service);
      return { service, rabbitmqUrl: parsed[names.rabbitmq], databaseUrl: parsed[names.database] };
    }),
    developmentDefaults: Object.keys(DEVELOPMENT_ADMIN_DEFAULTS).filter((name) => !env[name]),
  };
}

/** The value every password has in .env.example: fine to validate compose, never to run it. */
export const PLACEHOLDER_PASSWORD = 'change-me';

function refusePlaceholders(parsed: Record<string, string | undefined>): void {
  const placeholders = Object.entries(parsed)
    .filter(
      ([name, url]) =>
        name.endsWith('_URL') &&
        url &&
        brokerUrls(url).some(
          (each) => decodeURIComponent(new URL(each).password) === PLACEHOLDER_PASSWORD,
        ),
    )
    .map(([name]) => name);
  if (placeholders.length > 0) {
    throw new InvalidConfigError(
      `invalid configuration for setup: ${placeholders.join(', ')} use the placeholder password "${PLACEHOLDER_PASSWORD}" of .env.example; run tools/compose-env.sh (or set real passwords in .env)`,
    );
  }
}

/** The management API on the broker's host, port 15672, with the same credentials. */
function managementUrlFor(amqpUrls: string): string {
  const amqp = new URL(brokerUrls(amqpUrls)[0]);
  const management = new URL(
    `${amqp.protocol === 'amqps:' ? 'https' : 'http'}://${amqp.hostname}:15672`,
  );
  management.username = amqp.username;
  management.password = amqp.password;
  return management.toString();
}
