// shopctl: the workshop's and the operator's command line (README.md, "shopctl"). It talks to
// the services' HTTP APIs, the ops API and the broker, never to a service's queue.
import { Command, CommanderError } from 'commander';
import { addGlobalOptions } from './cli/context';
import { CliError, ExitCode } from './cli/exit-codes';
import { colors } from './cli/output';
import { dlqCommand } from './commands/dlq';
import { faultCommand } from './commands/fault';
import { labCommand } from './commands/lab';
import { orderCommand } from './commands/order';
import { publishCommand } from './commands/publish';
import { resetCommand } from './commands/reset';
import { tailCommand } from './commands/tail';
import { topologyCommand } from './commands/topology';

function program(): Command {
  const root = addGlobalOptions(
    new Command('shopctl')
      .description('publish, watch, replay and break the shop on purpose')
      .showHelpAfterError()
      .exitOverride(),
  );
  for (const command of [
    publishCommand(),
    tailCommand(),
    dlqCommand(),
    orderCommand(),
    topologyCommand(),
    faultCommand(),
    labCommand(),
    resetCommand(),
  ]) {
    root.addCommand(command);
  }
  // Subcommands report usage errors through the same exit path as the root.
  for (const command of root.commands) command.exitOverride().showHelpAfterError();
  for (const command of root.commands.flatMap((each) => each.commands))
    command.exitOverride().showHelpAfterError();
  return root;
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`${colors.red('shopctl:')} ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(
      `${colors.red('shopctl: unexpected failure:')} ${(error as Error)?.stack ?? error}\n`,
    );
    process.exitCode = ExitCode.checkFailed;
  }
}

void main();
