import { setTimeout as sleep } from 'node:timers/promises';

export interface OrderRequest {
  customerId: string;
  items: Array<{ sku: string; quantity: number }>;
}

export interface PlacedOrder extends OrderRequest {
  index: number;
  orderId: string;
}

export interface LoadOptions {
  baseUrl: () => string;
  count: number;
  concurrency: number;
  runId: string;
  request: (index: number) => OrderRequest;
  /** Called after each accepted order with how many are accepted so far. */
  onAccepted?: (accepted: number) => void;
  /** Each customer waits this long before its next order: a steady load for a longer time. */
  pauseMs?: number;
}

export interface LoadResult {
  placed: PlacedOrder[];
  /** POSTs that failed (5xx or no answer) and were sent again with the same Idempotency-Key. */
  retriedPosts: number;
}

const MAX_POST_ATTEMPTS = 240;
const RETRY_PAUSE_MS = 250;

/**
 * Places orders the way a careful client does: each with its own Idempotency-Key, retried
 * until accepted. A retry after a lost answer therefore never creates a second order.
 */
export async function placeOrders(options: LoadOptions): Promise<LoadResult> {
  const placed: PlacedOrder[] = [];
  let next = 0;
  let retriedPosts = 0;

  async function placeOne(index: number): Promise<void> {
    const request = options.request(index);
    for (let attempt = 1; attempt <= MAX_POST_ATTEMPTS; attempt++) {
      try {
        const response = await fetch(`${options.baseUrl()}/orders`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': `${options.runId}-${index}`,
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(10_000),
        });
        if (response.status === 201) {
          const { orderId } = (await response.json()) as { orderId: string };
          placed.push({ ...request, index, orderId });
          options.onAccepted?.(placed.length);
          return;
        }
        if (response.status < 500)
          throw new Error(`order ${index} refused: ${response.status} ${await response.text()}`);
      } catch (error) {
        if ((error as Error).message.startsWith(`order ${index} refused`)) throw error;
      }
      retriedPosts++;
      await sleep(RETRY_PAUSE_MS);
    }
    throw new Error(`order ${index} was never accepted`);
  }

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.count) {
        await placeOne(next++);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    }),
  );
  return { placed: placed.sort((a, b) => a.index - b.index), retriedPosts };
}
