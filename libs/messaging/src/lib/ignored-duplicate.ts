import { Logger } from '@nestjs/common';
import { DomainEvent } from '@shop/contracts';

/**
 * The second line of defence behind the inbox, logged alike in every service: an event asking
 * for what was already done, which the inbox did not stop (another eventId, or an inbox row
 * pruned since). A warning: something upstream sent it twice.
 */
export function logIgnoredDuplicate(log: Logger, event: DomainEvent, alreadyDone: string): void {
  log.warn({
    msg: `duplicate ${event.eventType} ignored: ${alreadyDone}`,
    eventId: event.eventId,
    correlationId: event.metadata.correlationId,
  });
}
