import { RetryJobRow } from './retry-job.schema';

/** A bulk retry job as the API shows it. */
export function retryJobView(job: RetryJobRow) {
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    sent: job.sent,
    skipped: job.skipped,
    failed: job.failed,
    ratePerSecond: job.ratePerSecond,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    actor: job.actor,
    reason: job.reason,
  };
}
