import { afterFiring, describeFaults, FaultPlanSchema } from './fault-plan';

describe('fault plans', () => {
  it('counts a counted handler failure down, and drops it at zero', () => {
    const plan = { handlerFailures: { A: { rate: 1, times: 2 } }, duplicatePublish: true };
    const once = afterFiring(plan, { handlerFailure: 'A' });
    expect(once).toEqual({ handlerFailures: { A: { rate: 1, times: 1 } }, duplicatePublish: true });
    expect(afterFiring(once, { handlerFailure: 'A' })).toEqual({ duplicatePublish: true });
  });

  it('keeps an uncounted failure until it is cleared', () => {
    const plan = { handlerFailures: { A: { rate: 0.5 } } };
    expect(afterFiring(plan, { handlerFailure: 'A' })).toEqual(plan);
  });

  it('counts crashes down', () => {
    expect(afterFiring({ crashBeforeAck: { times: 2, eventType: 'A' } }, 'crashBeforeAck')).toEqual(
      {
        crashBeforeAck: { times: 1, eventType: 'A' },
      },
    );
    expect(afterFiring({ crashBeforeAck: { times: 1 } }, 'crashBeforeAck')).toEqual({});
  });

  it('describes each active fault, and none for an empty plan', () => {
    expect(describeFaults({})).toEqual([]);
    expect(
      describeFaults({
        handlerFailures: { OrderPlaced: { rate: 1, permanent: true } },
        duplicatePublish: false,
        gatewayFailureRate: 0.5,
      }),
    ).toEqual([
      'OrderPlaced handler fails permanently at rate 1',
      'payment gateway outage rate 0.5',
    ]);
  });

  it.each([
    [{ nope: true }, 'Unrecognized key'],
    [{ handlerFailures: { A: { rate: 2 } } }, 'handlerFailures.A.rate'],
    [{ crashBeforeAck: { times: 0 } }, 'crashBeforeAck.times'],
    [{ handlerLatencyMs: 1.5 }, 'handlerLatencyMs'],
  ])('refuses %j', (plan, problem) => {
    const result = FaultPlanSchema.safeParse(plan);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(problem.split('.').pop());
  });
});
