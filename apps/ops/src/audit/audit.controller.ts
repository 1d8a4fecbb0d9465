import { Controller, Get, Query } from '@nestjs/common';
import { PageQueryDto } from '../dead-letters/dead-letter.dto';
import { AuditService } from './audit.service';

@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async list(@Query() query: PageQueryDto) {
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
