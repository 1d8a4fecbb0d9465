/** The broker accepted the message but no queue is bound to its routing key. */
export class UnroutableMessageError extends Error {
  override readonly name = 'UnroutableMessageError';
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
  ) {
    super(
      `no queue is bound to routing key "${routingKey}" on exchange "${exchange || '(default)'}"`,
    );
  }
}

/** The broker did not confirm the message (nacked, timed out, or the channel closed). */
export class PublishNotConfirmedError extends Error {
  override readonly name = 'PublishNotConfirmedError';
  constructor(
    readonly routingKey: string,
    cause: unknown,
  ) {
    super(`publish to "${routingKey}" was not confirmed: ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
  }
}
