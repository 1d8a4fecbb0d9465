import { Command } from 'commander';
import { contextOf } from '../cli/context';
import { colors, shortId, table } from '../cli/output';
import { DeadLetter, OpsApi } from '../clients/ops-api';

const STATUS_COLOR = {
  unresolved: colors.red,
  retrying: colors.yellow,
  resolved: colors.green,
  archived: colors.dim,
} as const;

/** `dlq list|show|retry|archive|groups`, through the ops API (it keeps every dead letter). */
export function dlqCommand(): Command {
  const dlq = new Command('dlq').description(
    "the dead-letter office, through the ops API (SHOPCTL_OPS_TOKEN or --token: ops' OPS_TOKEN)",
  );
  dlq
    .command('list')
    .description('dead letters, newest first')
    .option('--service <service>', 'only those this service failed')
    .option('--event-type <type>', 'only this event type')
    .option('--reason <reason>', 'only this reason, e.g. unparseable, retries-exhausted')
    .option('--status <status>', 'unresolved, retrying, resolved or archived')
    .option('--search <text>', 'full-text search of error and payload')
    .option('--limit <n>', 'at most n (≤ 200)', (value) => Number(value), 50)
    .action(async (options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const page = await new OpsApi(endpoints).listDeadLetters({
        service: options.service,
        eventType: options.eventType,
        reason: options.reason,
        status: options.status,
        q: options.search,
        limit: options.limit,
      });
      output.result(page, ({ items, total }) => [
        ...table([
          ['ID', 'STATUS', 'SERVICE', 'EVENT', 'REASON', 'ATTEMPTS', 'AT', 'ERROR'],
          ...items.map(row),
        ]),
        colors.dim(`${items.length} of ${total}`),
      ]);
    });
  dlq
    .command('show <id>')
    .description('one dead letter: its message, headers, error and history')
    .action(async (id: string, _options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const detail = await new OpsApi(endpoints).deadLetter(id);
      output.result(detail, (letter) => [
        `${colors.bold(letter.id)} ${STATUS_COLOR[letter.status](letter.status)}`,
        `service     ${letter.service} (queue ${letter.queue})`,
        `event       ${letter.eventType ?? '-'} ${letter.eventId ?? ''}`,
        `correlation ${letter.correlationId ?? '-'}`,
        `reason      ${letter.reason} after ${letter.attempts} attempt(s): ${letter.errorMessage}`,
        `group       ${letter.group.title}`,
        '',
        colors.bold('payload'),
        // A message that is no JSON has no payload object: show its bytes as text.
        letter.payload === null || letter.payload === undefined
          ? letter.payloadText
          : JSON.stringify(letter.payload, null, 2),
        '',
        colors.bold('history'),
        ...letter.history.map(
          (entry) =>
            `  ${entry.at} ${entry.kind}${entry.actor ? ` by ${entry.actor}` : ''}${entry.reason ? `: ${entry.reason}` : ''}`,
        ),
      ]);
    });
  dlq.addCommand(
    operatorAction(
      'retry',
      'retrying',
      're-send it to the queue of the service that failed it, and only there',
      (ops, id, reason) => ops.retry(id, reason),
    ),
  );
  dlq.addCommand(
    operatorAction(
      'archive',
      'archived',
      'set it aside as dealt with (nothing is ever deleted)',
      (ops, id, reason) => ops.archive(id, reason),
    ),
  );
  dlq
    .command('groups')
    .description('dead letters grouped by service, event type and error shape')
    .option('--status <status>', 'count only these, e.g. unresolved')
    .action(async (options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const groups = await new OpsApi(endpoints).groups(options.status);
      output.result(groups, ({ items }) =>
        table([
          ['GROUP', 'COUNT', 'UNRESOLVED', 'LAST SEEN', 'TITLE'],
          ...items.map((group) => [
            shortId(group.id),
            String(group.count),
            String(group.unresolved),
            group.lastSeen,
            group.title,
          ]),
        ]),
      );
    });
  return dlq;
}

/** An action on one dead letter that ops records with who did it and why. */
function operatorAction(
  name: string,
  done: string,
  description: string,
  act: (ops: OpsApi, id: string, reason: string) => Promise<unknown>,
): Command {
  return new Command(name)
    .argument('<id>')
    .description(description)
    .requiredOption('--reason <why>', 'recorded in its history and the audit log')
    .action(async (id: string, options: { reason: string }, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const result = await act(new OpsApi(endpoints), id, options.reason);
      output.result(result, () => `${done} ${id}: ${options.reason}`);
    });
}

function row(letter: DeadLetter): string[] {
  return [
    letter.id,
    STATUS_COLOR[letter.status](letter.status),
    letter.service,
    letter.eventType ?? '-',
    letter.reason,
    String(letter.attempts),
    letter.deadLetteredAt.slice(0, 19),
    letter.errorMessage.slice(0, 60),
  ];
}
