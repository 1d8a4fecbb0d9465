import { RmqOptions } from './rmq.options';
import { SHOP_SUBSCRIPTIONS } from './subscriptions';
import { buildTopology, Topology } from './topology';

/** The whole topology as this service declares it: every consumer of the process uses this one. */
export function serviceTopology(options: RmqOptions): Topology {
  return buildTopology({
    subscriptions: options.subscriptions ?? SHOP_SUBSCRIPTIONS,
    service: options.service,
    retryDelaysMs: options.retry.delaysMs,
  });
}
