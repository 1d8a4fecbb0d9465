import { AuditAction } from './audit.schema';

/** One operator action (a class, for the OpenAPI document). */
export class AuditEntryResponse {
  id!: string;
  at!: string;
  actor!: string;
  action!: AuditAction;
  reason!: string | null;
  deadLetterIds!: string[];
  /** The bulk retry, for `bulk-retry`. */
  jobId?: string;
}

export class AuditPageResponse {
  items!: AuditEntryResponse[];
  total!: number;
  limit!: number;
  offset!: number;
}
