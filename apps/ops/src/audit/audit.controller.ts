import { Controller, Get, Query } from '@nestjs/common';
import { OpsApi } from '../auth/ops-api.decorator';
import { PageQueryDto } from '../dead-letters/dead-letter.dto';
import { AuditPageResponse } from './audit.response';
import { AuditService } from './audit.service';

@OpsApi()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Every operator action, newest first. */
  @Get()
  async list(@Query() query: PageQueryDto): Promise<AuditPageResponse> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { items, total } = await this.audit.list(limit, offset);
    return {
      items: items.map((entry) => ({
        id: entry.id,
        at: entry.at.toISOString(),
        actor: entry.actor,
        action: entry.action,
        reason: entry.reason,
        deadLetterIds: entry.deadLetterIds,
        ...(entry.jobId ? { jobId: entry.jobId } : {}),
      })),
      total,
      limit,
      offset,
    };
  }
}
