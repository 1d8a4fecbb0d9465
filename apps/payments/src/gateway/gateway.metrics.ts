import { Counter, Histogram } from 'prom-client';

// Registered once per process on prom-client's default registry, which the platform serves
// on /metrics with the service label.

/** `lookup`: asking what happened under an idempotency key, which moves no money. */
export type GatewayOperation = 'charge' | 'refund' | 'lookup';

/**
 * `replayed`: an idempotency key seen before, answered from the ledger without moving money.
 * `found` / `not-found`: what a lookup answered.
 */
export type GatewayCallOutcome =
  | 'captured'
  | 'declined'
  | 'refunded'
  | 'replayed'
  | 'found'
  | 'not-found'
  | 'unavailable'
  | 'rejected';

export const gatewayCalls = new Counter<'operation' | 'outcome'>({
  name: 'shop_gateway_calls_total',
  help: 'Calls to the simulated payment gateway, by operation and outcome',
  labelNames: ['operation', 'outcome'],
});

export const gatewayCallDuration = new Histogram<'operation'>({
  name: 'shop_gateway_call_duration_seconds',
  help: 'Time a payment gateway call took, failures included',
  labelNames: ['operation'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
