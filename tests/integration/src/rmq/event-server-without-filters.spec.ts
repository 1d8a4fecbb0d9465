import { Controller, ExceptionFilter } from '@nestjs/common';
import { BaseRpcExceptionFilter, Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DomainEvent } from '@shop/contracts';
import { MessageHeaders, NonRetryableError, OnEvent, RmqEventContext } from '@shop/rmq';
import { createIsolatedBroker, IsolatedBroker, publishEvent } from '@shop/testing';
import { waitForDeadLetter } from '../support/dead-letters';
import { EventServerHarness, startEventServer } from '../support/event-server-harness';
import { anOrderPlaced } from '../support/order-placed';

/** What each attempt saw: its number, and the previous attempt's error as the retry carries it. */
interface Attempt {
  eventId: string;
  attempt: number;
  previousError: unknown;
}

const attempts: Attempt[] = [];
/** The error each test makes the handler throw. */
let failure: () => Error = () => new Error('unset');

@Controller()
class FailingOrderPlaced {
  @OnEvent('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>, @Ctx() context: RmqEventContext) {
    attempts.push({
      eventId: event.eventId,
      attempt: context.getAttempt(),
      previousError: context.getMessage().properties.headers?.[MessageHeaders.errorMessage],
    });
    throw failure();
  }
}

@Controller()
class PlainEventPattern {
  @EventPattern('OrderPlaced')
  async handle(@Payload() event: DomainEvent<'OrderPlaced'>) {
    return event;
  }
}

const SERVICE = 'svc';
const RETRY = { delaysMs: [100], maxAttempts: 2 };
const SUBSCRIPTIONS = { svc: ['OrderPlaced'] } as const;

/**
 * Retry or dead-letter is decided on the handler's real error, and its message goes into the
 * headers, without the app installing any exception filter, and even when it installs Nest's
 * default RPC filter, which would turn every error into "Internal server error".
 */
describe.each<[string, ExceptionFilter[]]>([
  ['with no exception filter installed', []],
  ["with Nest's default RPC filter installed globally", [new BaseRpcExceptionFilter()]],
])('RmqEventServer %s', (_, globalFilters) => {
  let broker: IsolatedBroker;
  let harness: EventServerHarness;

  const deadLetterOf = (eventId: string) => waitForDeadLetter(broker, `${SERVICE}.dlq`, eventId);
  const attemptsOf = (eventId: string) => attempts.filter((a) => a.eventId === eventId);

  beforeAll(async () => {
    broker = await createIsolatedBroker('no-filters');
    harness = await startEventServer({
      url: broker.url,
      service: SERVICE,
      controllers: [FailingOrderPlaced],
      subscriptions: SUBSCRIPTIONS,
      retry: RETRY,
      globalFilters,
    });
  });

  afterAll(async () => {
    await harness?.close();
    await broker?.dispose();
  });

  it('retries a failure carrying its real message, then dead-letters it with that message', async () => {
    failure = () => new Error('ledger offline (shard 7)');
    const event = anOrderPlaced();

    await publishEvent(broker.url, event);

    const parked = await deadLetterOf(event.eventId);
    expect(attemptsOf(event.eventId)).toEqual([
      { eventId: event.eventId, attempt: 1, previousError: undefined },
      { eventId: event.eventId, attempt: 2, previousError: 'ledger offline (shard 7)' },
    ]);
    expect(parked.properties.headers).toMatchObject({
      [MessageHeaders.deadLetterReason]: 'retries-exhausted',
      [MessageHeaders.attempts]: 2,
      [MessageHeaders.errorMessage]: 'ledger offline (shard 7)',
    });
    expect(String(parked.properties.headers?.[MessageHeaders.errorStack])).toContain(
      'FailingOrderPlaced',
    );
  });

  it('dead-letters a NonRetryableError at once: its type reaches the transport', async () => {
    failure = () => new NonRetryableError('customer account closed');
    const event = anOrderPlaced();

    await publishEvent(broker.url, event);

    const parked = await deadLetterOf(event.eventId);
    expect(attemptsOf(event.eventId)).toHaveLength(1);
    expect(parked.properties.headers).toMatchObject({
      [MessageHeaders.deadLetterReason]: 'non-retryable',
      [MessageHeaders.attempts]: 1,
      [MessageHeaders.errorMessage]: 'customer account closed',
    });
  });
});

describe('RmqEventServer and plain @EventPattern handlers', () => {
  let broker: IsolatedBroker;

  beforeAll(async () => {
    broker = await createIsolatedBroker('plain-pattern');
  });

  afterAll(async () => {
    await broker?.dispose();
  });

  it('refuses to start, naming the handler to declare with @OnEvent', async () => {
    await expect(
      startEventServer({
        url: broker.url,
        service: SERVICE,
        controllers: [PlainEventPattern],
        subscriptions: SUBSCRIPTIONS,
      }),
    ).rejects.toThrow(
      'declare event handlers with @OnEvent (from @shop/rmq), not @EventPattern: OrderPlaced',
    );
  });
});
