import { z } from 'zod';

const rate = z.number().min(0).max(1);
const times = z.number().int().min(1).max(1_000);
const milliseconds = z.number().int().min(0).max(60_000);

/**
 * The faults a service can be told to simulate at run time (docs/workshop/): each off unless
 * present. A count (`times`) makes a fault deterministic, so a lab can promise "exactly 2
 * retries"; without one it lasts until cleared.
 */
export const FaultPlanSchema = z
  .object({
    /**
     * Per event type: its handler throws with this probability, a transient error (→ retries),
     * or with `permanent` one no retry can fix (→ straight to the DLQ).
     */
    handlerFailures: z.record(
      z.string().min(1).max(100),
      z.object({ rate, times: times.optional(), permanent: z.boolean().optional() }).strict(),
    ),
    /** Added before every handler runs. */
    handlerLatencyMs: milliseconds,
    /** The process exits after the handler's commit and before the ack (→ redelivery). */
    crashBeforeAck: z.object({ eventType: z.string().min(1).max(100).optional(), times }).strict(),
    /** Every event is published twice (→ the consumers' inboxes absorb the copy). */
    duplicatePublish: z.boolean(),
    /** payments: the simulated gateway's outage rate and latency (else GATEWAY_* from env). */
    gatewayFailureRate: rate,
    gatewayLatencyMs: milliseconds,
  })
  .partial()
  .strict();

export type FaultPlan = z.infer<typeof FaultPlanSchema>;

/** The faults in a plan, one line each: for /health/ready, the log and shopctl. */
export function describeFaults(plan: FaultPlan): string[] {
  const lines: string[] = [];
  for (const [eventType, failure] of Object.entries(plan.handlerFailures ?? {}))
    lines.push(
      `${eventType} handler fails ${failure.permanent ? 'permanently ' : ''}at rate ${failure.rate}${failure.times ? `, ${failure.times} more time(s)` : ''}`,
    );
  if (plan.handlerLatencyMs) lines.push(`handlers delayed ${plan.handlerLatencyMs} ms`);
  if (plan.crashBeforeAck)
    lines.push(
      `crash before ack${plan.crashBeforeAck.eventType ? ` of ${plan.crashBeforeAck.eventType}` : ''}, ${plan.crashBeforeAck.times} more time(s)`,
    );
  if (plan.duplicatePublish) lines.push('every event published twice');
  if (plan.gatewayFailureRate !== undefined)
    lines.push(`payment gateway outage rate ${plan.gatewayFailureRate}`);
  if (plan.gatewayLatencyMs !== undefined)
    lines.push(`payment gateway latency ${plan.gatewayLatencyMs} ms`);
  return lines;
}

/** The plan once a counted fault fired: its count down by one, gone at zero. */
export function afterFiring(
  plan: FaultPlan,
  fired: 'crashBeforeAck' | { handlerFailure: string },
): FaultPlan {
  if (fired === 'crashBeforeAck') {
    const left = (plan.crashBeforeAck?.times ?? 1) - 1;
    const { crashBeforeAck, ...rest } = plan;
    return left > 0 && crashBeforeAck
      ? { ...rest, crashBeforeAck: { ...crashBeforeAck, times: left } }
      : rest;
  }
  const failures = { ...(plan.handlerFailures ?? {}) };
  const failure = failures[fired.handlerFailure];
  if (failure?.times !== undefined) {
    if (failure.times > 1)
      failures[fired.handlerFailure] = { ...failure, times: failure.times - 1 };
    else delete failures[fired.handlerFailure];
  }
  const { handlerFailures: _, ...rest } = plan;
  return Object.keys(failures).length > 0 ? { ...rest, handlerFailures: failures } : rest;
}
