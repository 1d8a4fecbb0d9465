// The one-shot setup step (docs/architecture.md, "Least privilege"): with administrator rights,
// a broker user and a database role per service, their permissions, the databases and the
// shop's whole topology. The services then run with no administrator rights at all.
import { redactUrl } from '@shop/rmq';
import { InvalidConfigError } from '@shop/platform';
import { accountOf, provisionBroker, provisionDatabase } from '@shop/provisioning';
import { brokerUrls, SHOP_SUBSCRIPTIONS } from '@shop/rmq';
import { parseArgs } from 'node:util';
import { serviceUrlVariables, setupConfig } from './setup-config';

const USAGE = `usage: node dist/apps/setup/main.js [--migrate-queues]

  --migrate-queues  re-create queues that exist with other arguments (another
                    RABBITMQ_QUEUE_TYPE, say) and hold messages, moving their
                    messages across; the services must be stopped`;

const log = (line: string) => process.stdout.write(`setup: ${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'migrate-queues': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = setupConfig(process.env);
  for (const name of config.developmentDefaults) {
    log(`${name} not set: using the development default (never in production)`);
  }
  log(
    `broker ${redactUrl(config.rabbitmqAdminUrl)} (${config.queueType} queues), database ${redactUrl(config.databaseAdminUrl)}`,
  );
  const withBroker = config.services.filter((each) => each.rabbitmqUrl);
  for (const { service } of config.services.filter((each) => !each.rabbitmqUrl)) {
    log(`${service}: ${serviceUrlVariables(service).rabbitmq} not set, no broker user made for it`);
  }
  await provisionBroker({
    adminUrl: config.rabbitmqAdminUrl,
    managementUrl: config.managementUrl,
    subscriptions: SHOP_SUBSCRIPTIONS,
    accounts: withBroker.map((each) =>
      accountOf(each.service, brokerUrls(each.rabbitmqUrl as string)[0]),
    ),
    log,
    declaration: { queueType: config.queueType, migrateQueues: values['migrate-queues'] },
  });
  for (const { service, databaseUrl } of config.services) {
    if (!databaseUrl) {
      log(
        `${service}: ${serviceUrlVariables(service).database} not set, no database role made for it`,
      );
      continue;
    }
    await provisionDatabase({ adminUrl: config.databaseAdminUrl, service, url: databaseUrl, log });
  }
  log('done');
}

main().catch((error: unknown) => {
  const usage = (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(
    usage
      ? `${(error as Error).message}\n${USAGE}\n`
      : error instanceof InvalidConfigError
        ? `${error.message}\n`
        : `setup failed: ${(error as Error)?.message ?? error}\n`,
  );
  process.exit(1);
});
