/** The first retry waits this long; each further one twice as long as the previous. */
export const FIRST_RETRY_DELAY_MS = 1_000;
/** No retry waits longer: a webhook back after an outage hears from ops within 5 minutes. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;
/** Then the message is given up (status `failed`, last error kept): about an hour of trying. */
export const MAX_DELIVERY_ATTEMPTS = 20;

/** How long to wait after the `attempts`-th failed delivery, or `give-up`. */
export function retryDelayAfter(attempts: number): number | 'give-up' {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return 'give-up';
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
}
