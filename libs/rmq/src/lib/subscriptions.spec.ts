import {
  checkSubscriptions,
  SubscriptionMismatchError,
  eventTypesWithoutSubscriber,
  SHOP_SUBSCRIPTIONS,
} from './subscriptions';

describe('subscriptions', () => {
  it('give every event in the catalog at least one consumer', () => {
    expect(eventTypesWithoutSubscriber(SHOP_SUBSCRIPTIONS)).toEqual([]);
  });

  it('match handlers that take exactly the subscribed event types, in any order', () => {
    expect(
      checkSubscriptions(SHOP_SUBSCRIPTIONS, 'payments', ['OrderCancelled', 'PaymentRequested']),
    ).toEqual({ outcome: 'matching' });
  });

  it('name subscribed events without a handler and handled events without a subscription', () => {
    expect(
      checkSubscriptions(SHOP_SUBSCRIPTIONS, 'payments', ['PaymentRequested', 'PaymentRefunded']),
    ).toEqual({
      outcome: 'mismatch',
      withoutHandler: ['OrderCancelled'],
      notSubscribed: ['PaymentRefunded'],
    });
  });

  it('explain a mismatch in one error that names both sides', () => {
    const check = checkSubscriptions(SHOP_SUBSCRIPTIONS, 'payments', [
      'PaymentRequested',
      'PaymentRefunded',
    ]);
    if (check.outcome === 'matching') throw new Error('expected a mismatch');
    expect(new SubscriptionMismatchError('payments', check).message).toBe(
      'the @EventPattern handlers of payments disagree with its subscriptions (libs/rmq/src/lib/subscriptions.ts):\n' +
        '  subscribed but not handled: OrderCancelled\n' +
        '  handled but not subscribed: PaymentRefunded',
    );
  });

  it('do not know a service that is missing from them', () => {
    expect(checkSubscriptions(SHOP_SUBSCRIPTIONS, 'shipping', ['OrderConfirmed'])).toEqual({
      outcome: 'unknown-service',
      service: 'shipping',
    });
  });
});
