import {
  DEFAULT_QUEUE_TYPE,
  DEFAULT_RETRY_DELAYS_MS,
  ownTopology,
  QUEUE_TYPES,
  QueueType,
  SHOP_SUBSCRIPTIONS,
  shopTopology,
  Topology,
} from '@shop/rmq';
import { Command, Option } from 'commander';
import { contextOf } from '../cli/context';
import { ExitCode } from '../cli/exit-codes';
import { colors } from '../cli/output';
import { BrokerManagement, vhostOf } from '../clients/broker-management';
import { compareTopologies, describeArguments, Difference } from '../topology/compare-topologies';

/**
 * What the repository declares (libs/rmq): the setup step's shop topology and, from each
 * service, the delay queues of its retry ladder.
 */
export function declaredTopology(
  retryDelaysMs: number[],
  queueType: QueueType = DEFAULT_QUEUE_TYPE,
): Topology {
  const parts = [
    shopTopology(SHOP_SUBSCRIPTIONS, { queueType }),
    ...Object.keys(SHOP_SUBSCRIPTIONS).map((service) =>
      ownTopology(service, SHOP_SUBSCRIPTIONS, retryDelaysMs, { queueType }),
    ),
  ];
  const unique = <T>(items: T[], key: (item: T) => string) => [
    ...new Map(items.map((item) => [key(item), item])).values(),
  ];
  return {
    exchanges: unique(
      parts.flatMap((part) => part.exchanges),
      (each) => each.name,
    ),
    queues: unique(
      parts.flatMap((part) => part.queues),
      (each) => each.name,
    ),
    bindings: unique(
      parts.flatMap((part) => part.bindings),
      (each) => `${each.exchange} ${each.routingKey} ${each.queue}`,
    ),
  };
}

export function topologyCommand(): Command {
  return new Command('topology')
    .description(
      'print the topology libs/rmq declares beside what the broker has (management API), and flag every difference',
    )
    .option(
      '--retry-delays <ms,...>',
      "the services' RETRY_DELAYS_MS",
      (value) => value.split(',').map(Number),
      DEFAULT_RETRY_DELAYS_MS,
    )
    .addOption(
      new Option('--queue-type <type>', "the services' RABBITMQ_QUEUE_TYPE")
        .choices(QUEUE_TYPES)
        .env('RABBITMQ_QUEUE_TYPE')
        .default(DEFAULT_QUEUE_TYPE),
    )
    .action(async (options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const declared = declaredTopology(options.retryDelays, options.queueType);
      const actual = await new BrokerManagement(
        endpoints.managementUrl,
        endpoints.rabbitmqUrl,
      ).topology();
      const differences = compareTopologies(declared, actual);
      const depth = new Map(actual.queues.map((queue) => [queue.name, queue.messages ?? 0]));
      output.result({ vhost: vhostOf(endpoints.rabbitmqUrl), declared, differences }, () => [
        colors.bold(`vhost ${vhostOf(endpoints.rabbitmqUrl)}: declared by libs/rmq`),
        ...declared.exchanges.map((exchange) => `  exchange ${exchange.name} (${exchange.type})`),
        ...declared.queues.map(
          (queue) =>
            `  queue ${queue.name.padEnd(28)} ${String(depth.get(queue.name) ?? '-').padStart(6)} msgs  ${colors.dim(describeArguments(queue.arguments))}`,
        ),
        ...declared.bindings.map((b) => `  binding ${b.exchange} --${b.routingKey}--> ${b.queue}`),
        '',
        differences.length === 0
          ? colors.green('the broker has exactly what is declared')
          : colors.bold(`${differences.length} difference(s):`),
        ...differences.map(describeDifference),
      ]);
      if (differences.length > 0) process.exitCode = ExitCode.checkFailed;
    });
}

function describeDifference(difference: Difference): string {
  switch (difference.kind) {
    case 'missing':
      return `  ${colors.red('missing')}    ${difference.object}`;
    case 'undeclared':
      return `  ${colors.yellow('undeclared')} ${difference.object}`;
    case 'different':
      return `  ${colors.red('different')}  ${difference.object}\n      declared ${difference.declared}\n      actual   ${difference.actual}`;
  }
}
