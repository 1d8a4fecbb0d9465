import { RetryJobStatus } from './retry-job.schema';
import { retryJobView } from './retry-job.view';

/** A bulk retry and its progress (a class, for the OpenAPI document). */
export class RetryJobResponse implements ReturnType<typeof retryJobView> {
  id!: string;
  status!: RetryJobStatus;
  /** Dead letters chosen when the job was created. */
  total!: number;
  sent!: number;
  /** No longer retryable when their turn came (resolved or archived meanwhile). */
  skipped!: number;
  failed!: number;
  ratePerSecond!: number;
  createdAt!: string;
  finishedAt!: string | null;
  actor!: string;
  reason!: string | null;
}

export class RetryJobsResponse {
  items!: RetryJobResponse[];
}

export class BulkRetryResponse {
  job!: RetryJobResponse;
}
