import type { FaultPlan } from '@shop/platform';
import { Command, InvalidArgumentError, Option } from 'commander';
import { contextOf, nonNegativeInteger } from '../cli/context';
import { isServiceName, SERVICES, ServiceName } from '../cli/endpoints';
import { CliError, ExitCode } from '../cli/exit-codes';
import { colors } from '../cli/output';
import { AdminApi, InstanceFaults } from '../clients/admin-api';

/** `EventType=rate` or `EventType=rate:times`, e.g. `PaymentRequested=1:2`. */
export function parseHandlerFailure(
  value: string,
  previous: NonNullable<FaultPlan['handlerFailures']> = {},
  permanent = false,
) {
  const match = /^([A-Za-z]+)=([0-9.]+)(?::(\d+))?$/.exec(value);
  const rate = Number(match?.[2]);
  if (!match || !(rate >= 0 && rate <= 1)) {
    throw new InvalidArgumentError('expected EventType=rate[:times], rate from 0 to 1');
  }
  return {
    ...previous,
    [match[1]]: {
      rate,
      ...(match[3] ? { times: Number(match[3]) } : {}),
      ...(permanent ? { permanent } : {}),
    },
  };
}

/** `times` or `times:EventType`. */
export function parseCrash(value: string): NonNullable<FaultPlan['crashBeforeAck']> {
  const [times, eventType] = value.split(':');
  const count = Number(times);
  if (!Number.isInteger(count) || count < 1)
    throw new InvalidArgumentError('expected times[:EventType]');
  return { times: count, ...(eventType ? { eventType } : {}) };
}

function rate(value: string): number {
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('expected a rate from 0 to 1');
  return number;
}

export function faultCommand(): Command {
  return new Command('fault')
    .description(
      "switch a service's simulated faults on or off at run time, on every instance (its /admin/faults)",
    )
    .argument('[service]', SERVICES.join(', '))
    .option(
      '--fail <EventType=rate[:times]>',
      'its handler throws a transient error (→ retries)',
      parseHandlerFailure,
    )
    .option(
      '--fail-permanently <EventType=rate[:times]>',
      'its handler throws an error no retry fixes (→ the DLQ at once)',
      (value: string, previous?: NonNullable<FaultPlan['handlerFailures']>) =>
        parseHandlerFailure(value, previous, true),
    )
    .option('--latency <ms>', 'added before every handler', nonNegativeInteger)
    .option(
      '--crash-before-ack <times[:EventType]>',
      'exit after the commit, before the ack',
      parseCrash,
    )
    .addOption(new Option('--duplicate-publish', 'publish every event twice'))
    .addOption(new Option('--no-duplicate-publish', 'stop publishing twice'))
    .option('--gateway-failure-rate <rate>', "payments: the gateway's outage rate", rate)
    .option('--gateway-latency <ms>', "payments: the gateway's latency", nonNegativeInteger)
    .option('--clear', "clear this service's faults")
    .option('--clear-all', "clear every service's faults")
    .addHelpText(
      'after',
      `
Without a fault option it shows the service's faults. Examples:
  shopctl fault billing --fail PaymentCaptured=1:2       fail the next 2 deliveries
  shopctl fault inventory --crash-before-ack 1:OrderPlaced
  shopctl fault orders --duplicate-publish
  shopctl fault payments --gateway-failure-rate 0.5 --gateway-latency 200
  shopctl fault --clear-all`,
    )
    .action(async (service: string | undefined, options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const admin = new AdminApi(endpoints);
      if (options.clearAll) {
        const results: InstanceFaults[] = [];
        for (const each of SERVICES) results.push(...(await admin.clear(each)));
        return output.result(results, show);
      }
      if (!service) throw new CliError('name a service, or use --clear-all', ExitCode.usage);
      if (!isServiceName(service))
        throw new CliError(`unknown service "${service}" (${SERVICES.join(', ')})`, ExitCode.usage);
      const changes = planOf(options);
      const name: ServiceName = service;
      const results = options.clear
        ? await admin.clear(name)
        : Object.keys(changes).length > 0
          ? await admin.set(name, changes)
          : await admin.read(name);
      output.result(results, show);
    });
}

/** The fault options given, as the partial plan /admin/faults merges. */
export function planOf(options: Record<string, unknown>): FaultPlan {
  const plan: FaultPlan = {};
  if (options['fail'] || options['failPermanently'])
    plan.handlerFailures = {
      ...(options['fail'] as FaultPlan['handlerFailures']),
      ...(options['failPermanently'] as FaultPlan['handlerFailures']),
    };
  if (options['latency'] !== undefined) plan.handlerLatencyMs = options['latency'] as number;
  if (options['crashBeforeAck'])
    plan.crashBeforeAck = options['crashBeforeAck'] as FaultPlan['crashBeforeAck'];
  // Undefined unless given: commander sets no default when both --x and --no-x exist.
  if (options['duplicatePublish'] !== undefined)
    plan.duplicatePublish = options['duplicatePublish'] as boolean;
  if (options['gatewayFailureRate'] !== undefined)
    plan.gatewayFailureRate = options['gatewayFailureRate'] as number;
  if (options['gatewayLatency'] !== undefined)
    plan.gatewayLatencyMs = options['gatewayLatency'] as number;
  return plan;
}

function show(results: InstanceFaults[]): string[] {
  return results.map(
    (each) =>
      `${each.instance.padEnd(11)} ${each.active.length > 0 ? colors.yellow(each.active.join('; ')) : colors.green('no faults')}`,
  );
}
