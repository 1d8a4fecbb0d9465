import { InstanceView } from './instances';

/** A service instance known from its heartbeats (a class, for the OpenAPI document). */
export class InstanceResponse implements InstanceView {
  service!: string;
  instanceId!: string;
  /** The last beat's status while beats arrive; `missing` after three silent intervals. */
  status!: 'up' | 'degraded' | 'missing';
  startedAt!: string;
  lastSeenAt!: string;
}

export class InstancesResponse {
  items!: InstanceResponse[];
}
