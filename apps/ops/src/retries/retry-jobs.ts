import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Database, DATABASE } from '@shop/persistence';
import { and, desc, eq, lt, or, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditService } from '../audit/audit.service';
import { DeadLetterFilter, DeadLetterStore } from '../dead-letters/dead-letter-store';
import { ReplaySender } from './replay-sender';
import { RetryJobRow, retryJobs } from './retry-job.schema';

export const DEFAULT_RATE_PER_SECOND = 10;
/** A job whose instance has not renewed its lease for this long is taken over by another. */
const LEASE_MS = 30_000;
/** How often an instance looks for jobs nobody works on (a crashed instance's, say). */
const ORPHAN_SCAN_MS = 5_000;

export interface BulkRetryRequest {
  filter?: DeadLetterFilter;
  groupId?: string;
  ratePerSecond?: number;
  reason?: string;
  actor: string;
}

/**
 * Bulk retries as persisted jobs: the dead letters are chosen when the job is created, sent one
 * by one at `ratePerSecond`, and progress is committed after each, under a lease. A restarted
 * instance resumes its unfinished jobs; with two instances, only the lease holder sends.
 */
@Injectable()
export class RetryJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(RetryJobs.name);
  private readonly instanceId = randomUUID();
  private readonly running = new Map<string, Promise<void>>();
  private scanTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly store: DeadLetterStore,
    private readonly sender: ReplaySender,
    private readonly audit: AuditService,
  ) {}

  async create(request: BulkRetryRequest): Promise<RetryJobRow> {
    const selection: DeadLetterFilter = {
      ...request.filter,
      ...(request.groupId ? { groupId: request.groupId } : {}),
      // Only what can be retried now; the others would be skipped anyway.
      status: 'unresolved',
    };
    const ids = await this.store.idsMatching(selection);
    const job = await this.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(retryJobs)
        .values({
          deadLetterIds: ids,
          total: ids.length,
          ratePerSecond: request.ratePerSecond ?? DEFAULT_RATE_PER_SECOND,
          selection: selection as Record<string, unknown>,
          actor: request.actor,
          reason: request.reason ?? null,
          claimedBy: this.instanceId,
          leaseUntil: new Date(Date.now() + LEASE_MS),
        })
        .returning();
      await this.audit.record(
        {
          actor: request.actor,
          action: 'bulk-retry',
          reason: request.reason,
          deadLetterIds: ids,
          jobId: created.id,
        },
        tx,
      );
      return created;
    });
    this.run(job.id);
    return job;
  }

  async find(id: string): Promise<RetryJobRow | undefined> {
    const [job] = await this.db.select().from(retryJobs).where(eq(retryJobs.id, id));
    return job;
  }

  async list(limit = 50): Promise<RetryJobRow[]> {
    return this.db.select().from(retryJobs).orderBy(desc(retryJobs.createdAt)).limit(limit);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.resumeUnclaimed();
    this.scanTimer = setInterval(
      () =>
        void this.resumeUnclaimed().catch((error) =>
          this.log.warn(`job scan failed: ${error.message}`),
        ),
      ORPHAN_SCAN_MS,
    );
    this.scanTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.scanTimer);
    await Promise.allSettled([...this.running.values()]);
  }

  /** Running jobs whose lease ran out (their instance stopped): this instance takes them. */
  private async resumeUnclaimed(): Promise<void> {
    const orphans = await this.db
      .select({ id: retryJobs.id })
      .from(retryJobs)
      .where(
        and(
          eq(retryJobs.status, 'running'),
          or(isNull(retryJobs.leaseUntil), lt(retryJobs.leaseUntil, new Date())),
        ),
      );
    for (const { id } of orphans) {
      if (await this.claim(id)) {
        this.log.log(`resuming bulk retry job ${id}`);
        this.run(id);
      }
    }
  }

  /** Takes or renews the lease; false when another instance holds it. */
  private async claim(id: string): Promise<boolean> {
    const rows = await this.db
      .update(retryJobs)
      .set({ claimedBy: this.instanceId, leaseUntil: new Date(Date.now() + LEASE_MS) })
      .where(
        and(
          eq(retryJobs.id, id),
          eq(retryJobs.status, 'running'),
          or(
            eq(retryJobs.claimedBy, this.instanceId),
            isNull(retryJobs.leaseUntil),
            lt(retryJobs.leaseUntil, new Date()),
          ),
        ),
      )
      .returning({ id: retryJobs.id });
    return rows.length > 0;
  }

  private run(id: string): void {
    if (this.running.has(id)) return;
    const work = this.work(id)
      .catch(async (error) => {
        this.log.error(`bulk retry job ${id} failed: ${(error as Error).message}`);
        await this.db
          .update(retryJobs)
          .set({ status: 'failed', finishedAt: new Date() })
          .where(and(eq(retryJobs.id, id), eq(retryJobs.claimedBy, this.instanceId)))
          .catch(() => undefined);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, work);
  }

  private async work(id: string): Promise<void> {
    const job = await this.find(id);
    if (!job) return;
    const intervalMs = 1_000 / job.ratePerSecond;
    let nextSendAt = Date.now();
    for (let index = job.nextIndex; index < job.deadLetterIds.length; index++) {
      if (this.stopping) return; // the lease runs out; this or another instance resumes
      await sleep(Math.max(0, nextSendAt - Date.now()));
      nextSendAt = Math.max(nextSendAt + intervalMs, Date.now());
      if (!(await this.claim(id))) return; // another instance took it over
      const sent = await this.sender.retry(job.deadLetterIds[index], {
        actor: job.actor,
        reason: job.reason,
        jobId: job.id,
      });
      const counter =
        sent.outcome === 'sent' ? 'sent' : sent.outcome === 'not-sent' ? 'failed' : 'skipped';
      await this.db
        .update(retryJobs)
        .set({ nextIndex: index + 1, [counter]: sql`${retryJobs[counter]} + 1` })
        .where(eq(retryJobs.id, id));
    }
    await this.db
      .update(retryJobs)
      .set({ status: 'finished', finishedAt: new Date(), leaseUntil: null })
      .where(eq(retryJobs.id, id));
    this.log.log(`bulk retry job ${id} finished`);
  }
}
