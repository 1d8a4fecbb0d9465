import {
  checkSubscriptions,
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

  it('do not know a service that is missing from them', () => {
    expect(checkSubscriptions(SHOP_SUBSCRIPTIONS, 'shipping', ['OrderConfirmed'])).toEqual({
      outcome: 'unknown-service',
      service: 'shipping',
    });
  });
});
