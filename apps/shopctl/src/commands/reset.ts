import { SHOP_SUBSCRIPTIONS, serviceQueueNames } from '@shop/rmq';
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { contextOf } from '../cli/context';
import { SERVICES } from '../cli/endpoints';
import { CliError, ExitCode } from '../cli/exit-codes';
import { colors } from '../cli/output';
import { AdminApi } from '../clients/admin-api';
import { BrokerManagement } from '../clients/broker-management';
import { OpsApi } from '../clients/ops-api';

/** inventory's seed levels: the same file `npm run inventory:reseed` applies. */
const RESEED_SQL = join(
  __dirname,
  '..',
  '..',
  '..',
  'apps',
  'inventory',
  'seed',
  'reseed-stock.sql',
);
/**
 * Work and retry queues hold the demo's traffic; DLQs are ops' to collect, never purged. The
 * services are the subscribers; their delay queues are `serviceQueueNames(...).retry(ms)`.
 */
function isDemoQueue(queue: string): boolean {
  return Object.keys(SHOP_SUBSCRIPTIONS).some(
    (service) =>
      queue === serviceQueueNames(service).events || queue.startsWith(`${service}.retry.`),
  );
}

export function resetCommand(): Command {
  return new Command('reset')
    .description(
      "between workshop groups: clear every fault, purge the work and retry queues, re-seed inventory's stock (dead letters only with --archive-dead-letters)",
    )
    .option('--yes', 'do it (without it, shopctl only says what it would do)')
    .addOption(
      new Option('--inventory-database-url <url>', "inventory's database, to re-seed its stock")
        .env('SHOPCTL_INVENTORY_DATABASE_URL')
        .default('postgres://postgres@localhost:5432/inventory'),
    )
    .option(
      '--archive-dead-letters',
      'also archive every unresolved dead letter (they stay in ops, archived)',
    )
    .action(async (options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const broker = new BrokerManagement(endpoints.managementUrl, endpoints.rabbitmqUrl);
      const queues = (await broker.queues()).filter((queue) => isDemoQueue(queue.name));
      const ops = new OpsApi(endpoints);
      const unresolved = options.archiveDeadLetters
        ? (await ops.listDeadLetters({ status: 'unresolved', limit: 200 })).items
        : [];
      const plan = [
        'clear the faults of every service',
        ...queues.map((queue) => `purge ${queue.name} (${queue.messages ?? 0} messages)`),
        "re-seed inventory's stock",
        ...(options.archiveDeadLetters
          ? [`archive ${unresolved.length} unresolved dead letter(s)`]
          : []),
      ];
      if (!options.yes) {
        output.result({ done: false, plan }, () => [
          ...plan.map((line) => `would ${line}`),
          colors.yellow('nothing done: add --yes'),
        ]);
        return;
      }
      const admin = new AdminApi(endpoints);
      for (const service of SERVICES) await admin.clear(service);
      for (const queue of queues) await broker.purge(queue.name);
      const stock = await reseedStock(options.inventoryDatabaseUrl);
      for (const letter of unresolved)
        await ops.archive(letter.id, 'workshop reset between groups');
      output.result({ done: true, plan, stock }, () => [
        ...plan.map((line) => `${colors.green('✔')} ${line}`),
        colors.dim(stock.map((row) => `${row.sku} ${row.stock}`).join(', ')),
      ]);
    });
}

async function reseedStock(databaseUrl: string): Promise<Array<{ sku: string; stock: number }>> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return (await client.query(readFileSync(RESEED_SQL, 'utf8'))).rows;
  } catch (error) {
    throw new CliError(
      `cannot re-seed stock through ${new URL(databaseUrl).host}: ${(error as Error).message} (--inventory-database-url)`,
      ExitCode.unreachable,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
