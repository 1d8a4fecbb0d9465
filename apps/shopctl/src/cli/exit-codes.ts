/**
 * What shopctl's exit status means, so scripts and the labs' test can tell a failed check
 * from a typo or an unreachable system.
 */
export const ExitCode = {
  ok: 0,
  /** The command ran, and what it checked is not so: a lab failed, the topology differs. */
  checkFailed: 1,
  /** Bad arguments or input: nothing was sent. */
  usage: 2,
  /** A service, the ops API or the broker could not be reached. */
  unreachable: 3,
  /** The system answered no: an invalid event, a refused token, an unknown id. */
  refused: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure that ends the command with a message and a meaningful exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}
