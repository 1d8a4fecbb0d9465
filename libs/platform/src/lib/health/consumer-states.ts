import {
  CircuitStatus,
  ConsumerStatus,
  QueueProcessors,
  RmqEventServer,
  RmqOptions,
  serviceQueueNames,
} from '@shop/rmq';

export interface QueueConsumerState {
  queue: string;
  consumer: ConsumerStatus;
  circuit: CircuitStatus;
}

/** Every queue the service consumes: its event queue (if it consumes events) and each processor's. */
export function consumerStates(
  options: RmqOptions,
  events: RmqEventServer,
  processors: QueueProcessors,
): QueueConsumerState[] {
  const eventQueue: QueueConsumerState[] =
    options.consumesEvents === false
      ? []
      : [{ queue: serviceQueueNames(options.service).events, ...events.consumerStatus() }];
  return [...eventQueue, ...processors.statuses()];
}

/** Taking deliveries with a closed circuit. */
export function isConsuming({ consumer, circuit }: QueueConsumerState): boolean {
  return consumer.state === 'consuming' && circuit.state === 'closed';
}
