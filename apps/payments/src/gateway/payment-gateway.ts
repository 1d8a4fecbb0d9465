import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Money } from '@shop/contracts';
import { FaultSwitches } from '@shop/platform';
import { DATABASE_OPTIONS, Database, DatabaseOptions, createPool } from '@shop/persistence';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { gatewayConfig, GatewayConfig } from './gateway.config';
import { GatewayRequestError, GatewayUnavailableError } from './gateway.errors';
import {
  GatewayCallOutcome,
  gatewayCallDuration,
  gatewayCalls,
  GatewayOperation,
} from './gateway.metrics';
import { decideCharge, isFlakyCall, rollsOutage } from './gateway-rules';
import {
  gatewayAttempts,
  GatewayOperationKind,
  GatewayOperationRow,
  gatewayOperations,
} from './gateway.schema';

/**
 * Kept apart from the service's pool on purpose: handlers call the gateway while their
 * transaction holds a connection of that pool, so with every connection held that way, a
 * gateway query waiting for one more would wait forever.
 */
const LEDGER_POOL_SIZE = 4;

export interface ChargeRequest {
  /** Same key, same answer: a retried charge is never a second charge. */
  idempotencyKey: string;
  customerId: string;
  amount: Money;
}

export interface RefundRequest {
  idempotencyKey: string;
  /** The `reference` of the captured charge to give back. */
  chargeReference: string;
  amount: Money;
}

/** `replayed`: the key had been used before; this is the first call's answer, nothing moved. */
export type ChargeResult =
  | { outcome: 'captured'; reference: string; replayed: boolean }
  | { outcome: 'declined'; reference: string; reason: string; replayed: boolean };

export interface RefundResult {
  outcome: 'refunded';
  reference: string;
  replayed: boolean;
}

/**
 * A simulated payment provider (think Stripe) living inside the service. It keeps its own
 * ledger, written by autocommit queries outside the caller's transaction, because a real
 * provider's charge stays taken when our transaction rolls back; idempotency keys are what
 * make that safe.
 */
@Injectable()
export class PaymentGateway implements OnApplicationShutdown {
  private readonly log = new Logger(PaymentGateway.name);
  private readonly pool: Pool;
  private readonly ledger: Database;

  constructor(
    @Inject(DATABASE_OPTIONS) database: DatabaseOptions,
    @Inject(gatewayConfig.KEY) private readonly config: GatewayConfig,
    private readonly faults: FaultSwitches,
  ) {
    this.pool = createPool({
      url: database.url,
      max: LEDGER_POOL_SIZE,
      onConnectionLost: (error) =>
        this.log.warn(`gateway ledger connection lost: ${error.message}`),
    });
    this.ledger = drizzle({ client: this.pool });
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const result = await this.call('charge', replayedOr, async () => {
      const call = await this.countAttempt(request.idempotencyKey);
      const replay = await this.replay(request.idempotencyKey, 'charge', request.amount);
      if (replay) return replay;
      if (isFlakyCall(request.customerId, call)) throw this.flaky(request.idempotencyKey, call);
      const decision = decideCharge(request.customerId);
      return this.record({
        idempotencyKey: request.idempotencyKey,
        kind: 'charge',
        customerId: request.customerId,
        amountCents: request.amount.amountCents,
        currency: request.amount.currency,
        outcome: decision.outcome,
        reference: `ch_${compactId()}`,
        chargeReference: null,
        declineReason: decision.outcome === 'declined' ? decision.reason : null,
      });
    });
    return toChargeResult(result);
  }

  /**
   * The charge made under an idempotency key, if any, as a real provider lets you look a key
   * up: how to learn whether an earlier attempt charged before it could record the charge.
   */
  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    const found = await this.call(
      'lookup',
      (row) => (row ? 'found' : 'not-found'),
      async () => {
        const [row] = await this.ledger
          .select()
          .from(gatewayOperations)
          .where(eq(gatewayOperations.idempotencyKey, idempotencyKey));
        return row?.kind === 'charge' ? { ...row, replayed: true } : null;
      },
    );
    return found && toChargeResult(found);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const result = await this.call('refund', replayedOr, async () => {
      const call = await this.countAttempt(request.idempotencyKey);
      const replay = await this.replay(request.idempotencyKey, 'refund', request.amount);
      if (replay) return replay;
      const [charge] = await this.ledger
        .select()
        .from(gatewayOperations)
        .where(eq(gatewayOperations.reference, request.chargeReference));
      if (!charge || charge.kind !== 'charge' || charge.outcome !== 'captured') {
        throw new GatewayRequestError(`no captured charge ${request.chargeReference} to refund`);
      }
      if (!sameAmount(charge, request.amount)) {
        throw new GatewayRequestError(
          `refund of ${formatMoney(request.amount)} does not match charge ${charge.reference} of ${formatMoney(toMoney(charge))}`,
        );
      }
      if (isFlakyCall(charge.customerId, call)) throw this.flaky(request.idempotencyKey, call);
      return this.record({
        idempotencyKey: request.idempotencyKey,
        kind: 'refund',
        customerId: charge.customerId,
        amountCents: request.amount.amountCents,
        currency: request.amount.currency,
        outcome: 'refunded',
        reference: `re_${compactId()}`,
        chargeReference: charge.reference,
        declineReason: null,
      });
    });
    return { outcome: 'refunded', reference: result.reference, replayed: result.replayed };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /** What every call goes through: latency, random outages, metrics. */
  private async call<T>(
    operation: GatewayOperation,
    outcomeOf: (result: T) => GatewayCallOutcome,
    execute: () => Promise<T>,
  ): Promise<T> {
    const stopTimer = gatewayCallDuration.startTimer({ operation });
    let outcome: GatewayCallOutcome = 'unavailable';
    try {
      // GATEWAY_* from the environment, unless a fault switched at run time says otherwise.
      const { failureRate, latencyMs } = this.faults.gateway({
        failureRate: this.config.GATEWAY_FAILURE_RATE,
        latencyMs: this.config.GATEWAY_LATENCY_MS,
      });
      if (latencyMs > 0) await sleep(latencyMs);
      if (rollsOutage(failureRate, Math.random())) {
        throw new GatewayUnavailableError(
          `payment gateway unavailable (simulated outage, failure rate ${failureRate})`,
        );
      }
      const result = await execute();
      outcome = outcomeOf(result);
      return result;
    } catch (error) {
      if (error instanceof GatewayRequestError) outcome = 'rejected';
      throw error;
    } finally {
      gatewayCalls.inc({ operation, outcome });
      stopTimer();
    }
  }

  /**
   * Calls that may move money are counted per key (the flaky rule counts on it), in their own
   * autocommit statement, so the count survives the caller's rollback.
   */
  private async countAttempt(idempotencyKey: string): Promise<number> {
    const [row] = await this.ledger
      .insert(gatewayAttempts)
      .values({ idempotencyKey, attempts: 1 })
      .onConflictDoUpdate({
        target: gatewayAttempts.idempotencyKey,
        set: { attempts: sql`${gatewayAttempts.attempts} + 1`, lastAttemptAt: sql`now()` },
      })
      .returning({ attempts: gatewayAttempts.attempts });
    return row.attempts;
  }

  /** The first answer for a key, if there was one; a key reused for another request is refused. */
  private async replay(
    idempotencyKey: string,
    kind: GatewayOperationKind,
    amount: Money,
  ): Promise<(GatewayOperationRow & { replayed: true }) | undefined> {
    const [existing] = await this.ledger
      .select()
      .from(gatewayOperations)
      .where(eq(gatewayOperations.idempotencyKey, idempotencyKey));
    if (!existing) return undefined;
    if (existing.kind !== kind || !sameAmount(existing, amount)) {
      throw new GatewayRequestError(
        `idempotency key ${idempotencyKey} was used for a ${existing.kind} of ${formatMoney(toMoney(existing))}, not a ${kind} of ${formatMoney(amount)}`,
      );
    }
    return { ...existing, replayed: true };
  }

  /** Two concurrent first calls with one key: the first insert wins and the other replays it. */
  private async record(
    operation: Omit<GatewayOperationRow, 'createdAt'>,
  ): Promise<GatewayOperationRow & { replayed: boolean }> {
    const [inserted] = await this.ledger
      .insert(gatewayOperations)
      .values(operation)
      .onConflictDoNothing({ target: gatewayOperations.idempotencyKey })
      .returning();
    if (inserted) return { ...inserted, replayed: false };
    const [winner] = await this.ledger
      .select()
      .from(gatewayOperations)
      .where(eq(gatewayOperations.idempotencyKey, operation.idempotencyKey));
    return { ...winner, replayed: true };
  }

  private flaky(idempotencyKey: string, call: number): GatewayUnavailableError {
    return new GatewayUnavailableError(
      `payment gateway unavailable (flaky customer, call ${call} for key ${idempotencyKey})`,
    );
  }
}

function replayedOr(row: GatewayOperationRow & { replayed: boolean }): GatewayCallOutcome {
  return row.replayed ? 'replayed' : row.outcome;
}

function toChargeResult(row: GatewayOperationRow & { replayed: boolean }): ChargeResult {
  return row.outcome === 'declined'
    ? {
        outcome: 'declined',
        reference: row.reference,
        reason: row.declineReason ?? 'declined',
        replayed: row.replayed,
      }
    : { outcome: 'captured', reference: row.reference, replayed: row.replayed };
}

function sameAmount(row: Pick<GatewayOperationRow, 'amountCents' | 'currency'>, amount: Money) {
  return row.amountCents === amount.amountCents && row.currency === amount.currency;
}

function toMoney(row: Pick<GatewayOperationRow, 'amountCents' | 'currency'>): Money {
  return { amountCents: row.amountCents, currency: row.currency };
}

function formatMoney(amount: Money): string {
  return `${amount.amountCents} cents ${amount.currency}`;
}

/** Provider-style ids: `ch_3f2a...` rather than a dashed UUID. */
function compactId(): string {
  return randomUUID().replace(/-/g, '');
}
