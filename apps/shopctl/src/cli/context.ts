import { Command, InvalidArgumentError, Option } from 'commander';
import { Endpoints } from './endpoints';
import { Output } from './output';

/** What every command gets: where the system is, and how to print. */
export interface CommandContext {
  endpoints: Endpoints;
  output: Output;
}

/** The options every command accepts, each also read from a SHOPCTL_* variable. */
export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--json', 'print JSON for scripts instead of text'))
    .addOption(
      new Option('--host <host>', 'where the services listen')
        .env('SHOPCTL_HOST')
        .default('localhost'),
    )
    .addOption(
      new Option('--port-offset <n>', 'added to every service port (start-system --port-offset)')
        .env('SHOPCTL_PORT_OFFSET')
        .default(0)
        .argParser(nonNegativeInteger),
    )
    .addOption(
      new Option('--rabbitmq-url <url>', 'the broker, for publish, tail and lab')
        .env('SHOPCTL_RABBITMQ_URL')
        .default('amqp://guest:guest@localhost:5672'),
    )
    .addOption(
      new Option('--management-url <url>', "the broker's management API, for topology and reset")
        .env('SHOPCTL_MANAGEMENT_URL')
        .default('http://guest:guest@localhost:15672'),
    )
    .addOption(new Option('--token <token>', "the ops API's OPS_TOKEN").env('SHOPCTL_OPS_TOKEN'))
    .addOption(
      new Option('--admin-token <token>', "the services' ADMIN_TOKEN (default: the ops token)").env(
        'SHOPCTL_ADMIN_TOKEN',
      ),
    );
}

export function contextOf(command: Command): CommandContext {
  const options = command.optsWithGlobals<{
    json?: boolean;
    host: string;
    portOffset: number;
    rabbitmqUrl: string;
    managementUrl: string;
    token?: string;
    adminToken?: string;
  }>();
  return {
    output: new Output(Boolean(options.json)),
    endpoints: {
      host: options.host,
      portOffset: Number(options.portOffset),
      rabbitmqUrl: options.rabbitmqUrl,
      managementUrl: options.managementUrl,
      opsToken: options.token,
      adminToken: options.adminToken ?? options.token,
    },
  };
}

export function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 0) {
    throw new InvalidArgumentError('expected a whole number ≥ 0');
  }
  return number;
}
