import { RmqOptions } from './rmq.options';
import { SHOP_SUBSCRIPTIONS } from './subscriptions';
import { ownTopology, ServiceTopology, shopTopology, Topology } from './topology';

/** What this service declares itself: every consumer of the process uses this one. */
export function serviceTopology(options: RmqOptions): ServiceTopology {
  return ownTopology(
    options.service,
    options.subscriptions ?? SHOP_SUBSCRIPTIONS,
    options.retry.delaysMs,
    { queueType: options.queueType },
  );
}

/** The whole shop as the setup step declares it, for the subscriptions this service knows. */
export function wholeTopology(options: Pick<RmqOptions, 'subscriptions' | 'queueType'>): Topology {
  return shopTopology(options.subscriptions ?? SHOP_SUBSCRIPTIONS, {
    queueType: options.queueType,
  });
}
