import { Counter, Gauge } from 'prom-client';

/** Reasons libs/rmq writes; anything else is counted as `other`, so the label stays bounded. */
const KNOWN_REASONS = new Set([
  'retries-exhausted',
  'non-retryable',
  'unparseable',
  'invalid-envelope',
  'unknown-event-type',
  'unsupported-version',
  'invalid-payload',
  'no-handler',
]);

export function reasonLabel(reason: string): string {
  return KNOWN_REASONS.has(reason) ? reason : 'other';
}

export const deadLettersCollected = new Counter({
  name: 'shop_dead_letters_collected_total',
  help: 'Messages taken from a <service>.dlq and stored by ops (a failure of an event seen before included)',
  labelNames: ['service', 'reason'],
});

/** Set from the database on every scrape (see DeadLetterStore.countUnresolved). */
export const deadLettersUnresolved = new Gauge({
  name: 'shop_dead_letters_unresolved',
  help: 'Dead letters neither resolved nor archived, per failing service',
  labelNames: ['service'],
});
