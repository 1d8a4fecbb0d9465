import { FAST_RETRY_ENV, TestSystem, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { OpsClient } from './support/ops-client';
import { ShopClient } from './support/shop-client';

interface Letter {
  id: string;
  service: string;
  status: string;
  history: Array<{ kind: string; detail: string | null }>;
}

/**
 * A retry whose acknowledgement never reaches ops must not hold its dead letter in `retrying`
 * for good (a retrying dead letter cannot be retried again).
 */
describe('ops: a retry without outcome', () => {
  let system: TestSystem;
  let shop: ShopClient;
  let ops: OpsClient;

  beforeAll(async () => {
    system = await TestSystem.start('watchdog', {
      services: ['orders', 'billing', 'inventory', 'payments', 'ops'],
      env: FAST_RETRY_ENV,
      envFor: {
        // A "flaky-" customer's gateway calls fail twice: with two attempts, payments parks
        // the PaymentRequested; the replay's third call goes through.
        payments: { RETRY_MAX_ATTEMPTS: '2', RETRY_DELAYS_MS: '200' },
        ops: { OPS_REPLAY_TIMEOUT_MS: '2000' },
      },
    });
    shop = new ShopClient(system);
    ops = new OpsClient(system);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('goes back to unresolved after OPS_REPLAY_TIMEOUT_MS, and a later retry resolves it', async () => {
    const placed = await shop.placeOrder(`flaky-${randomUUID().slice(0, 8)}`, [
      { sku: 'SKU-0001', quantity: 1 },
    ]);
    const [parked] = await waitFor(
      async () =>
        (
          await ops.get<{ items: Letter[] }>(
            `/api/dead-letters?service=payments&q=${placed.orderId}`,
          )
        ).body.items,
      (items) => items.length === 1,
      { timeoutMs: 30_000, description: "payments' dead letter in ops" },
    );

    // The acknowledgement route is gone (as if its queue's binding were deleted in the UI).
    const { vhost, admin } = system.broker;
    await admin.unbind(vhost, 'shop.monitoring', 'ops.replay-outcomes', 'replay.#');
    expect((await ops.post(`/api/dead-letters/${parked.id}/retry`, { reason: 'try' })).status).toBe(
      202,
    );
    // The replay itself works: payments charges and the order is confirmed...
    await shop.waitForStatus(placed.orderId, 'CONFIRMED');
    // ...but ops never hears of it, so after the timeout the dead letter is free again.
    const released = await waitFor(
      async () => (await ops.get<Letter>(`/api/dead-letters/${parked.id}`)).body,
      (letter) => letter.status === 'unresolved',
      { timeoutMs: 30_000, description: 'the watchdog to release the retry' },
    );
    expect(released.history.map((entry) => entry.kind)).toEqual([
      'dead-lettered',
      'retry-sent',
      'retry-failed',
    ]);
    expect(released.history[2].detail).toContain('no outcome from payments within 2 s');

    // Retried again with the route back: payments' inbox recognises the event, and says so.
    await admin.bind(vhost, 'shop.monitoring', 'ops.replay-outcomes', 'replay.#');
    expect(
      (await ops.post(`/api/dead-letters/${parked.id}/retry`, { reason: 'again' })).status,
    ).toBe(202);
    const resolved = await waitFor(
      async () => (await ops.get<Letter>(`/api/dead-letters/${parked.id}`)).body,
      (letter) => letter.status === 'resolved',
      { timeoutMs: 30_000, description: 'the second retry to resolve the dead letter' },
    );
    expect(resolved.history.at(-1)).toEqual(
      expect.objectContaining({
        kind: 'retry-succeeded',
        detail: 'payments had already handled it (duplicate)',
      }),
    );
    expect(await shop.payments(placed.orderId)).toEqual([
      expect.objectContaining({ status: 'CAPTURED' }),
    ]);
  });
});
