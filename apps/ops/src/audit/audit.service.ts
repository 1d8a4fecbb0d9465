import { Inject, Injectable } from '@nestjs/common';
import { Database, DATABASE, Executor } from '@shop/persistence';
import { desc, sql } from 'drizzle-orm';
import { AuditAction, auditLog } from './audit.schema';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  reason?: string | null;
  deadLetterIds: string[];
  jobId?: string | null;
}

/** Append-only record of every operator action: who, when, why, on which dead letters. */
@Injectable()
export class AuditService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async record(entry: AuditEntry, executor: Executor = this.db): Promise<void> {
    await executor.insert(auditLog).values({
      actor: entry.actor,
      action: entry.action,
      reason: entry.reason ?? null,
      deadLetterIds: entry.deadLetterIds,
      jobId: entry.jobId ?? null,
    });
  }

  async list(limit: number, offset: number) {
    const [{ total }] = await this.db.select({ total: sql<number>`count(*)::int` }).from(auditLog);
    const items = await this.db
      .select()
      .from(auditLog)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(limit)
      .offset(offset);
    return { total, items };
  }
}
