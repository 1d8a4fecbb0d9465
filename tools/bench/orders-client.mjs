// HTTP calls to the orders service: place one order (with safe retries) and count by status.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const SKUS = ['SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0004', 'SKU-0005'];
const MAX_ATTEMPTS = 5;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 2_000;

/** A normal customer and one unit of an ample sku: the order should end CONFIRMED. */
export function orderBody(n) {
  return { customerId: `bench-${n}`, items: [{ sku: SKUS[n % SKUS.length], quantity: 1 }] };
}

/**
 * POST /orders until it answers 201. Every attempt carries the same Idempotency-Key, so a retry
 * after a lost response returns the first order instead of creating a second one.
 * Resolves { ok, orderId, sentAt, respondedAt, attempts, failures }; never rejects.
 */
export async function placeOrder(baseUrl, n, idempotencyKey) {
  const body = JSON.stringify(orderBody(n));
  const failures = [];
  const sentAt = performance.now();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let retryAfterMs;
    try {
      const response = await fetch(`${baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status === 201) {
        const { orderId } = JSON.parse(text);
        return {
          ok: true,
          orderId,
          sentAt,
          respondedAt: performance.now(),
          attempts: attempt,
          failures,
        };
      }
      failures.push(`HTTP ${response.status}`);
      // A 4xx other than these is a bug in the request: repeating it cannot help.
      if (response.status < 500 && ![408, 429].includes(response.status)) {
        return {
          ok: false,
          error: `HTTP ${response.status}: ${text.slice(0, 300)}`,
          sentAt,
          attempts: attempt,
          failures,
        };
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
    } catch (error) {
      failures.push(error.cause?.code ?? error.name ?? 'error');
    }
    if (attempt < MAX_ATTEMPTS) {
      await sleep(Math.min(MAX_BACKOFF_MS, retryAfterMs ?? 100 * 2 ** (attempt - 1)));
    }
  }
  return {
    ok: false,
    error: `gave up after ${MAX_ATTEMPTS} attempts`,
    sentAt,
    attempts: MAX_ATTEMPTS,
    failures,
  };
}

/** How many orders the service holds in a status (the page's `total`). */
export async function countOrders(baseUrl, status) {
  const response = await fetch(`${baseUrl}/orders?status=${status}&limit=1`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`GET /orders?status=${status}: HTTP ${response.status}`);
  return (await response.json()).total;
}
