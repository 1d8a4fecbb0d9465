import { applyBillingOutcome, OrderState } from './order-status';

const pending: OrderState = { status: 'PENDING', cancelReason: null, billingOutcome: null };

describe('order status', () => {
  it('confirms a pending order that billing processed', () => {
    expect(applyBillingOutcome(pending, 'PROCESSED')).toEqual({
      outcome: 'confirmed',
      state: { status: 'CONFIRMED', cancelReason: null, billingOutcome: 'PROCESSED' },
    });
  });

  it('cancels for fraud', () => {
    expect(applyBillingOutcome(pending, 'CANCELED_FRAUD')).toEqual({
      outcome: 'cancelled',
      state: { status: 'CANCELLED', cancelReason: 'FRAUD', billingOutcome: 'CANCELED_FRAUD' },
    });
  });

  it('cancels for a declined payment', () => {
    expect(applyBillingOutcome(pending, 'PAYMENT_DECLINED').state).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'PAYMENT_DECLINED',
    });
  });

  it('never moves a terminal order, whatever arrives late', () => {
    const cancelled: OrderState = {
      status: 'CANCELLED',
      cancelReason: 'FRAUD',
      billingOutcome: 'CANCELED_FRAUD',
    };
    expect(applyBillingOutcome(cancelled, 'PROCESSED')).toEqual({
      outcome: 'unchanged',
      state: cancelled,
    });
    const confirmed: OrderState = {
      status: 'CONFIRMED',
      cancelReason: null,
      billingOutcome: 'PROCESSED',
    };
    expect(applyBillingOutcome(confirmed, 'CANCELED_FRAUD')).toEqual({
      outcome: 'unchanged',
      state: confirmed,
    });
  });
});
