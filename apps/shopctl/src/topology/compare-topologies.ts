import type { Topology } from '@shop/rmq';

/** What the management API says the broker has, reduced to what the topology data describes. */
export interface BrokerTopology {
  exchanges: Array<{ name: string; type: string; durable: boolean }>;
  queues: Array<{
    name: string;
    durable: boolean;
    exclusive: boolean;
    autoDelete: boolean;
    arguments: Record<string, unknown>;
    messages?: number;
  }>;
  bindings: Array<{ source: string; destination: string; routingKey: string }>;
}

export type Difference =
  | { kind: 'missing'; object: string }
  | { kind: 'different'; object: string; declared: string; actual: string }
  | { kind: 'undeclared'; object: string };

/**
 * Declared against actual: what is missing, what differs (type, arguments) and what the broker
 * holds that nobody declares. Connections' own temporary queues (shopctl tail's, say) and the
 * broker's built-in `amq.*` exchanges are not differences.
 */
export function compareTopologies(declared: Topology, actual: BrokerTopology): Difference[] {
  const differences: Difference[] = [];
  const actualExchanges = new Map(actual.exchanges.map((each) => [each.name, each]));
  for (const exchange of declared.exchanges) {
    const found = actualExchanges.get(exchange.name);
    const object = `exchange ${exchange.name}`;
    if (!found) differences.push({ kind: 'missing', object });
    else if (found.type !== exchange.type || !found.durable)
      differences.push({
        kind: 'different',
        object,
        declared: `${exchange.type}, durable`,
        actual: `${found.type}${found.durable ? ', durable' : ''}`,
      });
  }
  const declaredExchanges = new Set(declared.exchanges.map((each) => each.name));
  for (const exchange of actual.exchanges) {
    if (exchange.name === '' || exchange.name.startsWith('amq.')) continue;
    if (!declaredExchanges.has(exchange.name))
      differences.push({ kind: 'undeclared', object: `exchange ${exchange.name}` });
  }

  const actualQueues = new Map(actual.queues.map((each) => [each.name, each]));
  for (const queue of declared.queues) {
    const found = actualQueues.get(queue.name);
    const object = `queue ${queue.name}`;
    if (!found) {
      differences.push({ kind: 'missing', object });
      continue;
    }
    const declaredArguments = describeArguments(queue.arguments);
    const actualArguments = describeArguments(found.arguments);
    if (declaredArguments !== actualArguments)
      differences.push({
        kind: 'different',
        object,
        declared: declaredArguments,
        actual: actualArguments,
      });
  }
  const declaredQueues = new Set(declared.queues.map((each) => each.name));
  for (const queue of actual.queues) {
    if (queue.exclusive || queue.autoDelete || declaredQueues.has(queue.name)) continue;
    differences.push({ kind: 'undeclared', object: `queue ${queue.name}` });
  }

  const bindingKey = (exchange: string, routingKey: string, queue: string) =>
    `binding ${exchange} --${routingKey}--> ${queue}`;
  const actualBindings = new Set(
    actual.bindings
      .filter((each) => each.source !== '')
      .map((each) => bindingKey(each.source, each.routingKey, each.destination)),
  );
  const declaredBindings = new Set(
    declared.bindings.map((each) => bindingKey(each.exchange, each.routingKey, each.queue)),
  );
  for (const binding of declaredBindings)
    if (!actualBindings.has(binding)) differences.push({ kind: 'missing', object: binding });
  const temporary = new Set(
    actual.queues.filter((each) => each.exclusive || each.autoDelete).map((each) => each.name),
  );
  for (const binding of actual.bindings) {
    if (binding.source === '' || temporary.has(binding.destination)) continue;
    const key = bindingKey(binding.source, binding.routingKey, binding.destination);
    if (!declaredBindings.has(key)) differences.push({ kind: 'undeclared', object: key });
  }
  return differences;
}

/** Arguments in a stable order, so that two sets compare as text. */
export function describeArguments(args: Record<string, unknown>): string {
  return Object.keys(args)
    .sort()
    .map((key) => `${key}=${JSON.stringify(args[key])}`)
    .join(' ');
}
