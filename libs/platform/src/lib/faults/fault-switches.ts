import { Inject, Injectable, Logger } from '@nestjs/common';
import { MessagingFaults, NonRetryableError } from '@shop/rmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterFiring, describeFaults, FaultPlan } from './fault-plan';
import { faultsConfig } from './faults.config';
import { FAULT_NAMES, faultsActive, faultsInjected } from './faults.metrics';

/** The exit code of a crash before ack: start-system starts such an instance again. */
export const CRASH_EXIT_CODE = 75;
/** Written last by a crashing instance: the faults it had left, for its successor's FAULTS. */
export const FAULTS_LEFT_PREFIX = 'faults-left: ';

/** Thrown by the handler-failure fault: an ordinary error, so the retry ladder takes it. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

/**
 * The service's faults, switched at run time: the messaging hooks the transport calls, and the
 * payment gateway's overrides. Every change is logged and shown in /health/ready and metrics.
 */
@Injectable()
export class FaultSwitches implements MessagingFaults {
  private readonly log = new Logger('Faults');
  private current: FaultPlan = {};

  constructor(@Inject(faultsConfig.KEY) config: ReturnType<typeof faultsConfig>) {
    if (config.FAULTS) this.replace(config.FAULTS, 'from FAULTS at start-up');
    else this.publishGauges();
  }

  get plan(): FaultPlan {
    return this.current;
  }

  /** Adds to (or changes) the current faults. */
  merge(changes: FaultPlan, actor: string): FaultPlan {
    const handlerFailures = { ...this.current.handlerFailures, ...changes.handlerFailures };
    return this.replace(
      {
        ...this.current,
        ...changes,
        ...(Object.keys(handlerFailures).length > 0 ? { handlerFailures } : {}),
      },
      `set by ${actor}`,
    );
  }

  clear(actor: string): FaultPlan {
    return this.replace({}, `cleared by ${actor}`);
  }

  async beforeHandler(eventType: string): Promise<void> {
    const latency = this.current.handlerLatencyMs;
    if (latency) {
      faultsInjected.inc({ fault: 'handlerLatencyMs', event_type: eventType });
      await sleep(latency);
    }
    const failure = this.current.handlerFailures?.[eventType];
    if (failure && Math.random() < failure.rate) {
      faultsInjected.inc({ fault: 'handlerFailures', event_type: eventType });
      this.current = afterFiring(this.current, { handlerFailure: eventType });
      this.publishGauges();
      const message = `injected fault: ${eventType} handler failed (shopctl fault)`;
      throw failure.permanent ? new NonRetryableError(message) : new InjectedFault(message);
    }
  }

  beforeAck(eventType: string): void {
    const crash = this.current.crashBeforeAck;
    if (!crash || (crash.eventType && crash.eventType !== eventType)) return;
    const left = afterFiring(this.current, 'crashBeforeAck');
    this.log.warn(
      `crash before ack of ${eventType} (injected fault): exiting with code ${CRASH_EXIT_CODE}`,
    );
    // Straight to stderr, synchronously: the process ends on the next line.
    process.stderr.write(`${FAULTS_LEFT_PREFIX}${JSON.stringify(left)}\n`);
    process.exit(CRASH_EXIT_CODE);
  }

  publishCopies(): number {
    return this.current.duplicatePublish ? 2 : 1;
  }

  /** payments' gateway: the fault's values where set, else its own configuration. */
  gateway(configured: { failureRate: number; latencyMs: number }) {
    return {
      failureRate: this.current.gatewayFailureRate ?? configured.failureRate,
      latencyMs: this.current.gatewayLatencyMs ?? configured.latencyMs,
    };
  }

  private replace(plan: FaultPlan, why: string): FaultPlan {
    this.current = plan;
    this.publishGauges();
    const faults = describeFaults(plan);
    this.log.warn(
      faults.length > 0 ? `faults ${why}: ${faults.join('; ')}` : `faults ${why}: none active`,
    );
    return plan;
  }

  private publishGauges(): void {
    for (const fault of FAULT_NAMES)
      faultsActive.set(
        { fault },
        [undefined, false].includes(this.current[fault] as never) ? 0 : 1,
      );
  }
}
