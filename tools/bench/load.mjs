// The two ways of offering load. `run(i)` places order i and resolves once it is finished
// (terminal, failed or timed out); neither generator ever rejects because of one order.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Closed loop: `concurrency` customers, each placing its next order only when the previous one
 * is terminal. Throughput is what the system sustains with that many orders in flight.
 */
export async function closedLoop({ count, concurrency, run }) {
  let next = 0;
  const customer = async () => {
    while (next < count) await run(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, customer));
  return {};
}

/**
 * Open loop: order i is sent at i / rate seconds whatever happened to the earlier ones, as
 * independent shoppers would. A slow system then shows as latency instead of a lower offer
 * (no coordinated omission). `maxScheduleLagMs` tells whether the bench itself kept up.
 */
export async function openLoop({ count, rate, run }) {
  const intervalMs = 1000 / rate;
  const startedAt = performance.now();
  const pending = [];
  let maxScheduleLagMs = 0;
  let i = 0;
  while (i < count) {
    const now = performance.now();
    for (
      let due = startedAt + i * intervalMs;
      i < count && due <= now;
      due = startedAt + i * intervalMs
    ) {
      maxScheduleLagMs = Math.max(maxScheduleLagMs, now - due);
      pending.push(run(i++));
    }
    if (i < count) await sleep(Math.max(0, startedAt + i * intervalMs - performance.now()));
  }
  await Promise.all(pending);
  return { maxScheduleLagMs };
}
