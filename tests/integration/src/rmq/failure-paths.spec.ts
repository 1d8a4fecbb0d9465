import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { DependencyGuard, OnEvent, QueueType, RmqEventContext } from '@shop/rmq';
import {
  createIsolatedBroker,
  IsolatedBroker,
  publishEvent,
  publishRaw,
  waitFor,
} from '@shop/testing';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { EventServerHarness, startEventServer } from '../support/event-server-harness';
import { anOrderPlaced } from '../support/order-placed';

interface Call {
  eventId: string;
  attempt: number;
  redelivered: boolean;
}

let behaviour: (context: RmqEventContext) => Promise<void> = async () => undefined;
const calls: Call[] = [];

@Controller()
class OrderPlacedRecorder {
  @OnEvent('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>, @Ctx() context: RmqEventContext) {
    calls.push({
      eventId: event.eventId,
      attempt: context.getAttempt(),
      redelivered: context.isRedelivered(),
    });
    await behaviour(context);
  }
}

/** A dependency of the handler (a ledger, say) that a test can take away and give back. */
class LedgerUnreachableError extends Error {}
let ledgerReachable = true;
let guardBehaviour: (error: unknown) => boolean = (error) =>
  error instanceof LedgerUnreachableError;
const ledgerGuard: DependencyGuard = {
  name: 'ledger',
  isOutage: (error) => guardBehaviour(error),
  probe: async () => {
    if (!ledgerReachable) throw new LedgerUnreachableError('ledger refused the connection');
  },
};

const SERVICE = 'svc';
const RETRY = { delaysMs: [100, 200], maxAttempts: 3 };

describe('failure paths of the failure paths, on a real broker', () => {
  let broker: IsolatedBroker;
  let harness: EventServerHarness | undefined;
  let queueType: QueueType = 'quorum';

  const callsFor = (eventId: string) => calls.filter((call) => call.eventId === eventId);
  const start = async () =>
    (harness = await startEventServer({
      url: broker.url,
      service: SERVICE,
      controllers: [OrderPlacedRecorder],
      subscriptions: { svc: ['OrderPlaced'] },
      retry: RETRY,
      dependencyGuard: ledgerGuard,
      probeBackoff: { initialDelayMs: 100, maxDelayMs: 400 },
      queueType,
    }));
  /** Deletes the test's queues and starts again with them of another type. */
  const restartWithQueues = async (type: QueueType) => {
    await harness?.close();
    for (const queue of await broker.admin.queueNames(broker.vhost)) {
      await broker.admin.deleteQueue(broker.vhost, queue);
    }
    queueType = type;
    await start();
  };
  /** Ready messages, counted by the broker itself (the management API lags by seconds). */
  const readyCount = async (queue: string) => {
    const amqp = await connect(broker.url);
    try {
      return (await (await amqp.createChannel()).checkQueue(queue)).messageCount;
    } finally {
      await amqp.close();
    }
  };
  const circuit = () => harness!.server.consumerStatus().circuit;
  const dead = async (messageId: string) =>
    (await broker.admin.peek(broker.vhost, 'svc.dlq')).filter(
      (message) => message.properties.message_id === messageId,
    );

  beforeAll(async () => {
    broker = await createIsolatedBroker('failure-paths');
  });

  beforeEach(async () => {
    await start();
  });

  afterEach(async () => {
    behaviour = async () => undefined;
    guardBehaviour = (error) => error instanceof LedgerUnreachableError;
    ledgerReachable = true;
    if (queueType !== 'quorum') await restartWithQueues('quorum');
    await harness?.close();
    harness = undefined;
  });

  afterAll(async () => {
    await broker?.dispose();
  });

  it('puts deliveries back without counting an attempt while a dependency is down, stops consuming, and resumes by itself', async () => {
    const event = anOrderPlaced();
    ledgerReachable = false;
    behaviour = async () => {
      if (!ledgerReachable) throw new LedgerUnreachableError('ledger: connect ECONNREFUSED');
    };

    await publishEvent(broker.url, event);

    await waitFor(circuit, (status) => status.state !== 'closed', {
      description: 'the circuit to open',
    });
    expect(circuit().reason).toContain('ledger');
    await waitFor(
      () => broker.admin.peek(broker.vhost, 'svc.events'),
      (messages) => messages.length === 1,
      { description: 'the event back in svc.events' },
    );
    const [waiting] = await broker.admin.peek(broker.vhost, 'svc.events');
    expect(waiting.properties.headers?.['x-attempts']).toBeUndefined();
    expect(harness!.server.consumerStatus().consumer.state).toBe('paused');
    expect(await readyCount('svc.retry.100')).toBe(0);
    expect(await dead(event.eventId)).toEqual([]);

    ledgerReachable = true;

    await waitFor(
      () => callsFor(event.eventId),
      (found) => found.some((call) => call.redelivered),
      { description: 'the event handled after the ledger came back' },
    );
    expect(callsFor(event.eventId).every((call) => call.attempt === 1)).toBe(true);
    await waitFor(circuit, (status) => status.state === 'closed', {
      description: 'the circuit to close',
    });
    expect(harness!.server.consumerStatus().consumer.state).toBe('consuming');
  });

  it('declares a deleted DLQ again and parks the dead letter in it, story included, before acking', async () => {
    await broker.admin.deleteQueue(broker.vhost, 'svc.dlq');
    const messageId = randomUUID();

    await publishRaw(broker.url, '', 'svc.events', Buffer.from('{"half": '), {
      messageId,
      type: 'OrderPlaced',
    });

    const [parked] = await waitFor(
      async () =>
        (await broker.admin.queue(broker.vhost, 'svc.dlq'))
          ? (await broker.admin.peek(broker.vhost, 'svc.dlq')).filter(
              (message) => message.properties.message_id === messageId,
            )
          : [],
      (found) => found.length === 1,
      { description: 'the poison message in a re-declared svc.dlq' },
    );
    expect(parked.payload).toBe('{"half": ');
    expect(parked.properties.headers).toMatchObject({
      'x-dead-letter-reason': 'unparseable',
      'x-service': SERVICE,
      'x-attempts': 0,
    });
    expect(await readyCount('svc.events')).toBe(0);
  });

  it('backs off through the circuit when the broker refuses a retry copy, never advancing x-attempts meanwhile', async () => {
    // A classic queue at max-length 0 refuses from the first message; a quorum queue takes one
    // beyond its limit before refusing, which would hide the refusal this test is about.
    await restartWithQueues('classic');
    // The broker nacks every publish to the delay queues (a full queue would do the same).
    await broker.admin.setPolicy(broker.vhost, 'refuse-retries', '^svc\\.retry\\.', {
      'max-length': 0,
      overflow: 'reject-publish',
    });
    // Policies apply asynchronously: wait until a queue of that pattern (not one of ours) refuses.
    await broker.admin.declareQueue(broker.vhost, 'svc.retry.policy-check', {});
    await waitFor(
      () =>
        broker.admin.publish(broker.vhost, '', 'svc.retry.policy-check', 'probe').then(
          () => 'accepted',
          () => 'refused',
        ),
      (outcome) => outcome === 'refused',
      { description: 'the policy to refuse publishes' },
    );
    const event = anOrderPlaced();
    behaviour = async (context) => {
      if (context.getAttempt() === 1) throw new Error('flaky on the first attempt');
    };

    try {
      await publishEvent(broker.url, event);

      const opened = await waitFor(circuit, (status) => status.state !== 'closed', {
        description: 'the circuit to open',
      });
      expect(opened.reason).toContain('svc.retry.100');
      const waiting = await waitFor(
        () => broker.admin.peek(broker.vhost, 'svc.events'),
        (messages) => messages.length === 1,
        { description: 'the event back in svc.events' },
      );
      expect(waiting[0].properties.headers?.['x-attempts']).toBeUndefined();
      expect(callsFor(event.eventId).every((call) => call.attempt === 1)).toBe(true);
    } finally {
      await broker.admin.deletePolicy(broker.vhost, 'refuse-retries');
    }

    const handled = await waitFor(
      () => callsFor(event.eventId),
      (found) => found.some((call) => call.attempt === 2),
      { description: 'the retry to run once the delay queue accepts it' },
    );
    expect(handled.filter((call) => call.attempt === 2)).toHaveLength(1);
    expect(await dead(event.eventId)).toEqual([]);
  });

  it('acks without handling the redelivered original of a retried message whose ack was lost', async () => {
    const consumeConnection = await waitFor(
      async () =>
        (await broker.admin.connections(broker.vhost)).find((connection) =>
          connection.clientName?.endsWith('(consume)'),
        ),
      (found) => found !== undefined,
      { description: 'the consume connection in the management API', timeoutMs: 20_000 },
    );
    const event = anOrderPlaced();
    behaviour = async (context) => {
      if (context.getAttempt() > 1) return;
      // The channel dies while the handler runs: the retry copy is still published (on the
      // publish connection), but the original can no longer be acked and comes back.
      await broker.admin.closeConnection(consumeConnection!.name);
      await waitFor(
        () => harness!.connection.isConnected('consume'),
        (connected) => !connected,
        { description: 'the consume connection to drop' },
      );
      throw new Error('flaky on the first attempt');
    };

    await publishEvent(broker.url, event);

    await waitFor(
      () => callsFor(event.eventId),
      (found) => found.some((call) => call.attempt === 2),
      { description: 'the retry copy to be handled', timeoutMs: 20_000 },
    );
    // Both the copy and the redelivered original reached the consumer; closing drains them.
    await harness!.close();
    harness = undefined;
    expect(callsFor(event.eventId).map((call) => call.attempt)).toEqual([1, 2]);
    expect(await readyCount('svc.events')).toBe(0);
    expect(await readyCount('svc.retry.100')).toBe(0);
  });

  it('settles a delivery even when its failure handling throws: it goes back to the queue and is handled again', async () => {
    const event = anOrderPlaced();
    let failures = 0;
    behaviour = async () => {
      if (failures++ === 0) throw new Error('first attempt fails');
    };
    let guardCalls = 0;
    guardBehaviour = () => {
      if (guardCalls++ === 0) throw new TypeError('the outage check itself is broken');
      return false;
    };

    await publishEvent(broker.url, event);

    const handled = await waitFor(
      () => callsFor(event.eventId),
      (found) => found.length === 2,
      { description: 'the event delivered again after the unexpected failure' },
    );
    expect(handled).toEqual([
      { eventId: event.eventId, attempt: 1, redelivered: false },
      { eventId: event.eventId, attempt: 1, redelivered: true },
    ]);
    await harness!.close();
    harness = undefined;
    expect(await readyCount('svc.events')).toBe(0);
    expect(await readyCount('svc.retry.100')).toBe(0);
  });
});
