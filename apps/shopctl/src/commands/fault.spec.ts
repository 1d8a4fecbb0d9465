import { InvalidArgumentError } from 'commander';
import { parseCrash, parseHandlerFailure, planOf } from './fault';

describe('shopctl fault options', () => {
  it('reads EventType=rate and EventType=rate:times, adding to earlier ones', () => {
    const first = parseHandlerFailure('PaymentRequested=1:2');
    expect(parseHandlerFailure('OrderPlaced=0.25', first)).toEqual({
      PaymentRequested: { rate: 1, times: 2 },
      OrderPlaced: { rate: 0.25 },
    });
  });

  it('marks a permanent failure', () => {
    expect(parseHandlerFailure('OrderPlaced=1', {}, true)).toEqual({
      OrderPlaced: { rate: 1, permanent: true },
    });
  });

  it.each(['OrderPlaced', 'OrderPlaced=2', 'OrderPlaced=-1', '=0.5', 'OrderPlaced=0.5:x'])(
    'refuses "%s"',
    (value) => expect(() => parseHandlerFailure(value)).toThrow(InvalidArgumentError),
  );

  it('reads a crash count with or without an event type', () => {
    expect(parseCrash('1')).toEqual({ times: 1 });
    expect(parseCrash('3:OrderPlaced')).toEqual({ times: 3, eventType: 'OrderPlaced' });
    expect(() => parseCrash('0')).toThrow(InvalidArgumentError);
  });

  it('turns only the options given into a plan', () => {
    expect(planOf({})).toEqual({});
    expect(planOf({ duplicatePublish: false, latency: 0, gatewayFailureRate: 0.5 })).toEqual({
      duplicatePublish: false,
      handlerLatencyMs: 0,
      gatewayFailureRate: 0.5,
    });
    expect(
      planOf({ fail: { A: { rate: 1 } }, failPermanently: { B: { rate: 1, permanent: true } } }),
    ).toEqual({ handlerFailures: { A: { rate: 1 }, B: { rate: 1, permanent: true } } });
  });
});
