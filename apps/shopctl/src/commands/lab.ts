import { Command } from 'commander';
import { contextOf } from '../cli/context';
import { CliError, ExitCode } from '../cli/exit-codes';
import { colors } from '../cli/output';
import { LabContext } from '../labs/lab-context';
import { LABS } from '../labs/labs';
import { LabResult, runLabs } from '../labs/run-labs';

export function labCommand(): Command {
  return new Command('lab')
    .description(
      'run a workshop lab against the running system: set its fault, drive orders, check the promised outcome, clean up',
    )
    .argument('<name>', `${LABS.map((lab) => lab.name).join(', ')}, or all`)
    .addHelpText(
      'after',
      `\nLabs:\n${LABS.map((lab) => `  ${lab.name.padEnd(20)} ${lab.title} (${lab.page})`).join('\n')}`,
    )
    .action(async (name: string, _options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const labs = name === 'all' ? LABS : LABS.filter((lab) => lab.name === name);
      if (labs.length === 0)
        throw new CliError(
          `unknown lab "${name}" (${LABS.map((lab) => lab.name).join(', ')}, all)`,
          ExitCode.usage,
        );
      const results = await runLabs(labs, new LabContext(endpoints, output));
      output.result(results, report);
      if (results.some((result) => !result.passed)) process.exitCode = ExitCode.checkFailed;
    });
}

function report(results: LabResult[]): string[] {
  const passed = results.filter((result) => result.passed).length;
  return [
    '',
    ...results.flatMap((result) => [
      `${result.passed ? colors.green('PASS') : colors.red('FAIL')} ${colors.bold(result.lab)} ${colors.dim(`(${result.seconds} s)`)} ${result.title}`,
      ...result.outcome.map((line) => `     ${line}`),
      ...(result.failure ? [`     ${colors.red(result.failure)}`] : []),
      ...(result.undoFailure
        ? [`     ${colors.red(`cleanup failed: ${result.undoFailure}`)}`]
        : []),
    ]),
    '',
    `${passed}/${results.length} labs passed`,
  ];
}
