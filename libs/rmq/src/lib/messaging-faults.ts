/**
 * Where faults switched on at run time (libs/platform, `/admin/faults`, for workshops) step
 * into the messaging path. The transport calls these hooks; with nothing provided, none fire.
 */
export interface MessagingFaults {
  /** Before a handler runs: may wait (added latency) or throw (an injected transient failure). */
  beforeHandler(eventType: string): Promise<void>;
  /** After the handler's transaction committed, before the ack: may end the process. */
  beforeAck(eventType: string): void;
  /** How many times each event is published: 2 under the duplicate-publish fault. */
  publishCopies(): number;
}

export const MESSAGING_FAULTS = Symbol('MESSAGING_FAULTS');

export const NO_FAULTS: MessagingFaults = {
  beforeHandler: async () => undefined,
  beforeAck: () => undefined,
  publishCopies: () => 1,
};
