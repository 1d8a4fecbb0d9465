import { CancellationReason, createEvent, DomainEvent } from '@shop/contracts';
import {
  EventSpy,
  FAST_RETRY_ENV,
  isolatedDatabaseUrl,
  runServiceToExit,
  IsolatedDatabase,
  publishEvent,
  TestSystem,
  unreconciledCharges,
  waitFor,
} from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { ErrorBody, Payment } from './support/shop-client';

interface GatewayOperation {
  idempotency_key: string;
  kind: 'charge' | 'refund';
  outcome: string;
  amount_cents: number;
  reference: string;
  charge_reference: string | null;
}

function paymentRequested(customerId: string, amountCents = 2_500) {
  return createEvent(
    'PaymentRequested',
    {
      orderId: randomUUID(),
      invoiceId: randomUUID(),
      customerId,
      amount: { amountCents, currency: 'EUR' },
    },
    { source: 'billing', correlationId: randomUUID() },
  );
}

function orderCancelled(orderId: string, reason: CancellationReason = 'OUT_OF_STOCK') {
  return createEvent(
    'OrderCancelled',
    { orderId, reason },
    { source: 'orders', correlationId: randomUUID() },
  );
}

/** The gateway's own books: what money really moved, whatever payments recorded. */
function gatewayOperationsIn(db: IsolatedDatabase, ...keys: string[]): Promise<GatewayOperation[]> {
  return db.query<GatewayOperation>(
    'SELECT idempotency_key, kind, outcome, amount_cents, reference, charge_reference FROM gateway_operations WHERE idempotency_key = ANY($1) ORDER BY created_at',
    [keys],
  );
}

/** Payments on its own: upstream events injected into the broker, as billing and orders would send them. */
describe('payments: charges through the gateway, exactly once, and refunds on cancellation', () => {
  let system: TestSystem;
  let spy: EventSpy;

  beforeAll(async () => {
    system = await TestSystem.start('payments', { services: ['payments'], env: FAST_RETRY_ENV });
    spy = await EventSpy.start(system.broker.url);
  });

  afterAll(async () => {
    await spy?.stop();
    await system?.stop();
  });

  const payments = () => system.service('payments');
  const db = () => system.db('payments');
  const metric = (name: string, labels: Record<string, string>) => payments().metric(name, labels);

  async function paymentsOf(orderId: string): Promise<Payment[]> {
    const { status, body } = await payments().get<Payment[]>(`/payments?orderId=${orderId}`);
    expect(status).toBe(200);
    return body;
  }

  const gatewayOperations = (...keys: string[]) => gatewayOperationsIn(db(), ...keys);

  /** What payments committed to emit for an order: exact, unlike a spy that may still be receiving. */
  const emitted = (orderId: string) => system.emitted('payments', orderId);

  /** Waits until payments has finished handling `count` more deliveries of an event type. */
  async function handled(eventType: string, before: number, count = 1): Promise<void> {
    await waitFor(
      () => metric('shop_messages_succeeded_total', { event_type: eventType }),
      (succeeded) => succeeded >= before + count,
      { description: `payments to handle ${count} more ${eventType}` },
    );
  }

  async function capture(customerId = 'alice'): Promise<DomainEvent<'PaymentRequested'>> {
    const request = paymentRequested(customerId);
    await publishEvent(system.broker.url, request);
    await spy.waitFor('PaymentCaptured', request.data.orderId);
    return request;
  }

  it('captures a payment request: one PaymentCaptured, one CAPTURED payment, one gateway charge', async () => {
    const request = paymentRequested('alice', 4_999);
    const { orderId, invoiceId } = request.data;

    await publishEvent(system.broker.url, request);

    const [captured] = await spy.waitFor('PaymentCaptured', orderId);
    expect(captured.data).toEqual({
      orderId,
      invoiceId,
      paymentId: expect.any(String),
      amount: { amountCents: 4_999, currency: 'EUR' },
    });
    expect(captured.source).toBe('payments');
    expect(captured.metadata).toEqual({
      correlationId: request.metadata.correlationId,
      causationId: request.eventId,
    });
    expect(await paymentsOf(orderId)).toEqual([
      expect.objectContaining({
        paymentId: captured.data.paymentId,
        orderId,
        invoiceId,
        status: 'CAPTURED',
        amount: { amountCents: 4_999, currency: 'EUR' },
      }),
    ]);
    expect(await gatewayOperations(invoiceId)).toEqual([
      expect.objectContaining({
        idempotency_key: invoiceId,
        kind: 'charge',
        outcome: 'captured',
        amount_cents: 4_999,
      }),
    ]);
  });

  it('declines a "declined-" customer: PaymentDeclined, a DECLINED payment, no money taken', async () => {
    const request = paymentRequested('declined-dave');
    const { orderId, invoiceId } = request.data;

    await publishEvent(system.broker.url, request);

    const [declined] = await spy.waitFor('PaymentDeclined', orderId);
    expect(declined.data).toEqual({
      orderId,
      invoiceId,
      paymentId: expect.any(String),
      reason: 'card_declined',
    });
    expect(await paymentsOf(orderId)).toEqual([
      expect.objectContaining({ status: 'DECLINED', declineReason: 'card_declined' }),
    ]);
    expect(await gatewayOperations(invoiceId)).toEqual([
      expect.objectContaining({ kind: 'charge', outcome: 'declined' }),
    ]);
    expect(await emitted(orderId)).toEqual(['PaymentDeclined']);
  });

  it('redelivered PaymentRequested (the same event three times) captures once', async () => {
    const request = paymentRequested('bob');
    const { orderId, invoiceId } = request.data;
    const duplicatesBefore = await metric('shop_messages_duplicate_total', {
      event_type: 'PaymentRequested',
    });

    await publishEvent(system.broker.url, request, 3);

    await spy.waitFor('PaymentCaptured', orderId);
    await waitFor(
      () => metric('shop_messages_duplicate_total', { event_type: 'PaymentRequested' }),
      (duplicates) => duplicates === duplicatesBefore + 2,
      { description: 'payments to skip both redeliveries' },
    );
    expect(await paymentsOf(orderId)).toHaveLength(1);
    expect(await gatewayOperations(invoiceId)).toHaveLength(1);
    expect(await emitted(orderId)).toEqual(['PaymentCaptured']);
    expect(spy.ofType('PaymentCaptured', orderId)).toHaveLength(1);
  });

  it('a charge the gateway took before a rollback is replayed, not taken again', async () => {
    const request = paymentRequested('ivan', 1_234);
    const { orderId, invoiceId } = request.data;
    // As if payments crashed after the gateway charged but before its transaction committed.
    await db().query(
      `INSERT INTO gateway_operations (idempotency_key, kind, customer_id, amount_cents, currency, outcome, reference)
       VALUES ($1, 'charge', 'ivan', 1234, 'EUR', 'captured', 'ch_taken_before_the_crash')`,
      [invoiceId],
    );
    const replayedBefore = await metric('shop_gateway_calls_total', {
      operation: 'charge',
      outcome: 'replayed',
    });

    await publishEvent(system.broker.url, request);

    await spy.waitFor('PaymentCaptured', orderId);
    expect(await paymentsOf(orderId)).toEqual([
      expect.objectContaining({
        status: 'CAPTURED',
        gatewayReference: 'ch_taken_before_the_crash',
      }),
    ]);
    expect(await gatewayOperations(invoiceId)).toHaveLength(1);
    expect(
      await metric('shop_gateway_calls_total', { operation: 'charge', outcome: 'replayed' }),
    ).toBe(replayedBefore + 1);
  });

  it('a "flaky-" customer is retried through the delay queues and captured exactly once', async () => {
    const request = paymentRequested('flaky-fred');
    const { orderId, invoiceId } = request.data;
    const retriedBefore = await metric('shop_messages_retried_total', {
      event_type: 'PaymentRequested',
    });
    const unavailableBefore = await metric('shop_gateway_calls_total', {
      operation: 'charge',
      outcome: 'unavailable',
    });

    await publishEvent(system.broker.url, request);

    await spy.waitFor('PaymentCaptured', orderId);
    expect(await metric('shop_messages_retried_total', { event_type: 'PaymentRequested' })).toBe(
      retriedBefore + 2,
    );
    expect(
      await metric('shop_gateway_calls_total', { operation: 'charge', outcome: 'unavailable' }),
    ).toBe(unavailableBefore + 2);
    expect(
      await db().query('SELECT attempts FROM gateway_attempts WHERE idempotency_key = $1', [
        invoiceId,
      ]),
    ).toEqual([{ attempts: 3 }]);
    expect(await gatewayOperations(invoiceId)).toEqual([
      expect.objectContaining({ kind: 'charge', outcome: 'captured' }),
    ]);
    expect(await paymentsOf(orderId)).toEqual([expect.objectContaining({ status: 'CAPTURED' })]);
    expect(await emitted(orderId)).toEqual(['PaymentCaptured']);
  });

  it('OrderCancelled after a capture refunds once, even when delivered twice', async () => {
    const request = await capture('carol');
    const { orderId } = request.data;
    const [{ paymentId }] = await paymentsOf(orderId);
    const cancelled = orderCancelled(orderId, 'OUT_OF_STOCK');
    const duplicatesBefore = await metric('shop_messages_duplicate_total', {
      event_type: 'OrderCancelled',
    });

    await publishEvent(system.broker.url, cancelled, 2);

    const [refunded] = await spy.waitFor('PaymentRefunded', orderId);
    expect(refunded.eventVersion).toBe(2);
    expect(refunded.data).toEqual({
      orderId,
      paymentId,
      amount: { amountCents: 2_500, currency: 'EUR' },
      refundedAt: expect.any(String),
    });
    // Recorded with the refund, so no later than the event written in the same transaction.
    expect(Date.parse(refunded.data.refundedAt)).toBeLessThanOrEqual(
      Date.parse(refunded.timestamp),
    );
    expect(refunded.metadata.causationId).toBe(cancelled.eventId);
    await waitFor(
      () => metric('shop_messages_duplicate_total', { event_type: 'OrderCancelled' }),
      (duplicates) => duplicates === duplicatesBefore + 1,
      { description: 'payments to skip the second delivery' },
    );
    expect(await paymentsOf(orderId)).toEqual([
      expect.objectContaining({ paymentId, status: 'REFUNDED' }),
    ]);
    expect(await gatewayOperations(`refund:${request.data.invoiceId}`)).toEqual([
      expect.objectContaining({ kind: 'refund', outcome: 'refunded', amount_cents: 2_500 }),
    ]);
    expect(await emitted(orderId)).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });

  it('a second, distinct OrderCancelled for a refunded order refunds nothing more', async () => {
    const { orderId, invoiceId } = (await capture('erin')).data;
    await publishEvent(system.broker.url, orderCancelled(orderId));
    await spy.waitFor('PaymentRefunded', orderId);
    const handledBefore = await metric('shop_messages_succeeded_total', {
      event_type: 'OrderCancelled',
    });

    await publishEvent(system.broker.url, orderCancelled(orderId, 'FRAUD'));

    await handled('OrderCancelled', handledBefore);
    expect(await gatewayOperations(`refund:${invoiceId}`)).toHaveLength(1);
    expect(await emitted(orderId)).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });

  it('OrderCancelled for a declined payment refunds nothing', async () => {
    const request = paymentRequested('declined-grace');
    const { orderId } = request.data;
    await publishEvent(system.broker.url, request);
    await spy.waitFor('PaymentDeclined', orderId);
    const handledBefore = await metric('shop_messages_succeeded_total', {
      event_type: 'OrderCancelled',
    });

    await publishEvent(system.broker.url, orderCancelled(orderId, 'PAYMENT_DECLINED'));

    await handled('OrderCancelled', handledBefore);
    expect(await paymentsOf(orderId)).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
    expect(await emitted(orderId)).toEqual(['PaymentDeclined']);
  });

  it('OrderCancelled before PaymentRequested: the late request charges nothing and is declined', async () => {
    const request = paymentRequested('heidi');
    const { orderId, invoiceId } = request.data;

    await publishEvent(system.broker.url, orderCancelled(orderId, 'OUT_OF_STOCK'));
    await waitFor(
      () => db().query('SELECT 1 FROM order_cancellations WHERE order_id = $1', [orderId]),
      (rows) => rows.length === 1,
      { description: `the cancellation of order ${orderId} to be recorded` },
    );
    await publishEvent(system.broker.url, request);

    const [declined] = await spy.waitFor('PaymentDeclined', orderId);
    expect(declined.data.reason).toBe('order cancelled (OUT_OF_STOCK) before payment');
    expect(await paymentsOf(orderId)).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
    expect(await gatewayOperations(invoiceId)).toEqual([]);
    expect(await emitted(orderId)).toEqual(['PaymentDeclined']);
  });

  it('PaymentRequested and OrderCancelled racing for the same orders never leave money taken', async () => {
    const requests = Array.from({ length: 8 }, (_, i) => paymentRequested(`racer-${i}`));
    const requestedBefore = await metric('shop_messages_succeeded_total', {
      event_type: 'PaymentRequested',
    });
    const cancelledBefore = await metric('shop_messages_succeeded_total', {
      event_type: 'OrderCancelled',
    });

    await Promise.all(
      requests.flatMap((request) => [
        publishEvent(system.broker.url, request),
        publishEvent(system.broker.url, orderCancelled(request.data.orderId)),
      ]),
    );

    await handled('PaymentRequested', requestedBefore, requests.length);
    await handled('OrderCancelled', cancelledBefore, requests.length);
    for (const { data } of requests) {
      const charges = await gatewayOperations(data.invoiceId);
      const found = await paymentsOf(data.orderId);
      if (charges.length === 0) {
        // The cancellation came first: the request was declined without charging.
        expect(found).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
        expect(await emitted(data.orderId)).toEqual(['PaymentDeclined']);
      } else {
        // The capture came first: the cancellation gave the money back.
        expect(found).toEqual([expect.objectContaining({ status: 'REFUNDED' })]);
        expect(await gatewayOperations(`refund:${data.invoiceId}`)).toHaveLength(1);
        expect(await emitted(data.orderId)).toEqual(['PaymentCaptured', 'PaymentRefunded']);
      }
    }
    expect(await unreconciledCharges(db())).toEqual([]);
  });

  it('GET /payments answers 400 for a missing or non-UUID orderId, and [] for an unknown order', async () => {
    for (const path of ['/payments?orderId=not-a-uuid', '/payments']) {
      const response = await payments().get<ErrorBody>(path);
      expect(response.status).toBe(400);
      expect(([] as string[]).concat(response.body.message)).toContain('orderId must be a UUID');
    }
    expect(await paymentsOf(randomUUID())).toEqual([]);
  });
});

describe('payments when a commit fails after the gateway charged', () => {
  let system: TestSystem;
  let spy: EventSpy;

  beforeAll(async () => {
    // Retries spaced and plentiful: the request must still be waiting in payments.retry.* while
    // the test delivers the cancellation.
    system = await TestSystem.start('payments_commit', {
      services: ['payments'],
      env: { RETRY_DELAYS_MS: '500', RETRY_MAX_ATTEMPTS: '50' },
    });
    spy = await EventSpy.start(system.broker.url);
  });

  afterAll(async () => {
    await spy?.stop();
    await system?.stop();
  });

  const db = () => system.db('payments');

  /**
   * From now on PostgreSQL refuses to COMMIT a transaction that records a payment for this
   * invoice (a deferred trigger raises at commit): each attempt gets as far as the gateway,
   * then loses everything it wrote to its own database, as in a crash or a blip before commit.
   */
  async function failCommitsRecordingPaymentFor(invoiceId: string): Promise<void> {
    await db().query(`
      CREATE OR REPLACE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated failure at commit'; END $$`);
    await db().query(`
      CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON payments
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN (NEW.invoice_id = '${invoiceId}') EXECUTE FUNCTION fail_commit()`);
  }

  const letCommitsThrough = () => db().query('DROP TRIGGER fail_commit ON payments');

  it('refunds, exactly once, a charge taken by an attempt that never committed when the order was cancelled meanwhile', async () => {
    const request = paymentRequested('judy', 3_100);
    const { orderId, invoiceId } = request.data;
    await failCommitsRecordingPaymentFor(invoiceId);
    const retriedBefore = await system.metric('payments', 'shop_messages_retried_total', {
      event_type: 'PaymentRequested',
    });

    await publishEvent(system.broker.url, request);
    // The first attempt charged, then failed to commit: the request waits for its retry.
    await waitFor(
      () =>
        system.metric('payments', 'shop_messages_retried_total', {
          event_type: 'PaymentRequested',
        }),
      (retried) => retried > retriedBefore,
      { description: 'the payment request to fail after the charge and wait for a retry' },
    );
    const [charge] = await gatewayOperationsIn(db(), invoiceId);
    expect(charge).toMatchObject({ kind: 'charge', outcome: 'captured', amount_cents: 3_100 });
    expect(await db().query('SELECT * FROM payments WHERE order_id = $1', [orderId])).toEqual([]);

    // The cancellation finds no payment to refund and leaves its tombstone.
    await publishEvent(system.broker.url, orderCancelled(orderId, 'TIMEOUT'));
    await waitFor(
      () => db().query('SELECT reason FROM order_cancellations WHERE order_id = $1', [orderId]),
      (rows) => rows.length === 1,
      { description: `the cancellation of order ${orderId} to be recorded` },
    );
    // The database is back: the next retry of the request finds the tombstone.
    await letCommitsThrough();

    await spy.waitFor('PaymentRefunded', orderId);
    const operations = await gatewayOperationsIn(db(), invoiceId, `refund:${invoiceId}`);
    expect(operations).toEqual([
      expect.objectContaining({ kind: 'charge', reference: charge.reference }),
      expect.objectContaining({
        kind: 'refund',
        outcome: 'refunded',
        amount_cents: 3_100,
        charge_reference: charge.reference,
      }),
    ]);
    expect(
      await db().query<{ status: string; gateway_reference: string }>(
        'SELECT status, gateway_reference FROM payments WHERE order_id = $1',
        [orderId],
      ),
    ).toEqual([{ status: 'REFUNDED', gateway_reference: charge.reference }]);
    // Billing hears about its invoice (PaymentCaptured settles it), orders about the refund.
    expect(await system.emitted('payments', orderId)).toEqual([
      'PaymentCaptured',
      'PaymentRefunded',
    ]);
    expect(spy.ofType('PaymentCaptured', orderId)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ invoiceId }) }),
    ]);
    expect(await unreconciledCharges(db())).toEqual([]);
  });
});

describe('payments during a gateway outage (GATEWAY_FAILURE_RATE=1)', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('payments_outage', {
      services: ['payments'],
      env: { ...FAST_RETRY_ENV, GATEWAY_FAILURE_RATE: '1' },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('retries a payment request, then parks it in payments.dlq with nothing charged', async () => {
    const request = createEvent(
      'PaymentRequested',
      {
        orderId: randomUUID(),
        invoiceId: randomUUID(),
        customerId: 'alice',
        amount: { amountCents: 2_500, currency: 'EUR' },
      },
      { source: 'billing', correlationId: randomUUID() },
    );

    await publishEvent(system.broker.url, request);

    const [parked] = await waitFor(
      () => system.broker.admin.peek(system.broker.vhost, 'payments.dlq'),
      (messages) => messages.length === 1,
      { description: 'the payment request in payments.dlq' },
    );
    expect(parked.properties.message_id).toBe(request.eventId);
    expect(parked.properties.headers).toMatchObject({
      'x-dead-letter-reason': 'retries-exhausted',
      'x-attempts': Number(FAST_RETRY_ENV.RETRY_MAX_ATTEMPTS),
      'x-error-message': expect.stringContaining('payment gateway unavailable'),
    });
    const db = system.db('payments');
    // The outage strikes before the gateway does anything: no attempt, no charge, no payment.
    expect(await db.query('SELECT * FROM gateway_attempts')).toEqual([]);
    expect(await db.query('SELECT * FROM gateway_operations')).toEqual([]);
    expect(await db.query('SELECT * FROM payments')).toEqual([]);
    expect(await db.query('SELECT * FROM outbox')).toEqual([]);
  });
});

describe('payments configuration', () => {
  it.each([
    ['GATEWAY_FAILURE_RATE', '2'],
    ['GATEWAY_LATENCY_MS', 'soon'],
  ])('refuses to start with %s=%s, saying why', async (name, value) => {
    // Never reached: the process must stop before it touches the broker or the database.
    const { url: databaseUrl } = isolatedDatabaseUrl('payments_bad_config');
    const exit = await runServiceToExit('payments', {
      [name]: value,
      DATABASE_URL: databaseUrl,
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672/never-used',
    });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('invalid configuration for payments gateway');
    expect(exit.stderr).toContain(`${name}=${JSON.stringify(value)}`);
  });
});
