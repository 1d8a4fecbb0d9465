import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumeMessage } from 'amqplib';
import { failedAttemptsOf } from './message-headers';

/** What a handler can learn about the delivery behind its event (`@Ctx()`). */
export class RmqEventContext extends BaseRpcContext<[ConsumeMessage]> {
  constructor(message: ConsumeMessage) {
    super([message]);
  }

  getMessage(): ConsumeMessage {
    return this.args[0];
  }

  /** 1 on the first delivery, 2 on the first retry, and so on. */
  getAttempt(): number {
    return failedAttemptsOf(this.args[0].properties.headers) + 1;
  }

  /** True when the broker redelivers after a lost ack (a crash or a dropped connection). */
  isRedelivered(): boolean {
    return this.args[0].fields.redelivered;
  }
}
