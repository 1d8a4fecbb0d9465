import { DomainEvent, validateEvent } from '@shop/contracts';
import { PoisonReason } from './failure-policy';

export type DecodedMessage =
  | { outcome: 'event'; event: DomainEvent }
  | { outcome: 'poison'; reason: PoisonReason; detail: string };

/** Turns message bytes into a validated event, or says why they never can be one. */
export function decodeMessage(content: Buffer): DecodedMessage {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return {
      outcome: 'poison',
      reason: 'unparseable',
      detail: `not JSON: ${(error as Error).message}`,
    };
  }
  const validation = validateEvent(json);
  return validation.outcome === 'valid'
    ? { outcome: 'event', event: validation.event }
    : { outcome: 'poison', reason: validation.reason, detail: validation.detail };
}
