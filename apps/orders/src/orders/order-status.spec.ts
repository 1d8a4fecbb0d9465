import { applyDeadline, applyOutcome, awaitedServices, OrderState, Outcome } from './order-status';

const pending: OrderState = {
  status: 'PENDING',
  cancelReason: null,
  billingOutcome: null,
  stockOutcome: null,
};
const processed: Outcome = { from: 'billing', result: 'PROCESSED' };
const reserved: Outcome = { from: 'inventory', result: 'RESERVED' };
const rejected: Outcome = { from: 'inventory', result: 'REJECTED' };
const fraud: Outcome = { from: 'billing', result: 'CANCELED_FRAUD' };
const declined: Outcome = { from: 'billing', result: 'PAYMENT_DECLINED' };

function fold(outcomes: Outcome[]): { state: OrderState; changes: string[] } {
  let state = pending;
  const changes: string[] = [];
  for (const outcome of outcomes) {
    const transition = applyOutcome(state, outcome);
    state = transition.state;
    changes.push(transition.change);
  }
  return { state, changes };
}

describe('order saga decisions', () => {
  it('waits for both outcomes before confirming', () => {
    expect(applyOutcome(pending, processed)).toEqual({
      change: 'none',
      state: { ...pending, billingOutcome: 'PROCESSED' },
    });
  });

  it.each([
    ['billing first', [processed, reserved]],
    ['inventory first', [reserved, processed]],
  ])('confirms when billing processed and stock is reserved (%s)', (_order, outcomes) => {
    const { state, changes } = fold(outcomes);
    expect(state).toEqual({
      status: 'CONFIRMED',
      cancelReason: null,
      billingOutcome: 'PROCESSED',
      stockOutcome: 'RESERVED',
    });
    expect(changes).toEqual(['none', 'confirmed']);
  });

  it.each([
    ['fraud', fraud, 'FRAUD'],
    ['a declined payment', declined, 'PAYMENT_DECLINED'],
    ['missing stock', rejected, 'OUT_OF_STOCK'],
  ])('cancels at once for %s, without waiting for the other outcome', (_case, outcome, reason) => {
    expect(applyOutcome(pending, outcome)).toMatchObject({
      change: 'cancelled',
      state: { status: 'CANCELLED', cancelReason: reason },
    });
  });

  it.each([
    ['stock rejected, then billing processed', [rejected, processed]],
    ['billing processed, then stock rejected', [processed, rejected]],
  ])('reaches the same end whichever outcome comes first: %s', (_case, outcomes) => {
    expect(fold(outcomes).state).toEqual({
      status: 'CANCELLED',
      cancelReason: 'OUT_OF_STOCK',
      billingOutcome: 'PROCESSED',
      stockOutcome: 'REJECTED',
    });
  });

  it('keeps the first cancellation reason when a second failure arrives', () => {
    const { state, changes } = fold([fraud, rejected]);
    expect(state).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'FRAUD',
      stockOutcome: 'REJECTED',
    });
    expect(changes).toEqual(['cancelled', 'none']);
  });

  it('never moves a terminal order backwards or out of its state', () => {
    const confirmed = fold([processed, reserved]).state;
    expect(applyOutcome(confirmed, rejected)).toEqual({ change: 'none', state: confirmed });
    expect(applyOutcome(confirmed, fraud)).toEqual({ change: 'none', state: confirmed });
  });

  it('ignores a repeated outcome', () => {
    const once = fold([reserved]).state;
    expect(applyOutcome(once, reserved)).toEqual({ change: 'none', state: once });
  });
});

describe('order saga deadline', () => {
  it('cancels a PENDING order with TIMEOUT, keeping the outcomes that did arrive', () => {
    const waitingForBilling = fold([reserved]).state;
    expect(applyDeadline(waitingForBilling)).toEqual({
      change: 'cancelled',
      state: {
        status: 'CANCELLED',
        cancelReason: 'TIMEOUT',
        billingOutcome: null,
        stockOutcome: 'RESERVED',
      },
    });
  });

  it('cancels a PENDING order that heard from nobody', () => {
    expect(applyDeadline(pending)).toMatchObject({
      change: 'cancelled',
      state: { status: 'CANCELLED', cancelReason: 'TIMEOUT' },
    });
  });

  it.each([
    ['confirmed', [processed, reserved]],
    ['cancelled for fraud', [fraud]],
  ])('leaves an order already %s as it is', (_case, outcomes) => {
    const terminal = fold(outcomes).state;
    expect(applyDeadline(terminal)).toEqual({ change: 'none', state: terminal });
  });

  it('lets nothing move an order cancelled by the deadline: a late outcome is only recorded', () => {
    const timedOut = applyDeadline(fold([reserved]).state).state;
    expect(applyOutcome(timedOut, processed)).toEqual({
      change: 'none',
      state: { ...timedOut, billingOutcome: 'PROCESSED' },
    });
    expect(applyDeadline(timedOut)).toEqual({ change: 'none', state: timedOut });
  });

  it('names the services a PENDING order is still waiting for', () => {
    expect(awaitedServices(pending)).toEqual(['billing', 'inventory']);
    expect(awaitedServices(fold([reserved]).state)).toEqual(['billing']);
    expect(awaitedServices(fold([processed]).state)).toEqual(['inventory']);
  });
});
