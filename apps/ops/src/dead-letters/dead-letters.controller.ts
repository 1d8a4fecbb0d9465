import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  BadRequestException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Actor } from '../auth/actor.decorator';
import { AuditService } from '../audit/audit.service';
import { ReplaySender } from '../retries/replay-sender';
import { RetryJobs } from '../retries/retry-jobs';
import { retryJobView } from '../retries/retry-job.view';
import { DeadLetterStore } from './dead-letter-store';
import {
  ArchiveDto,
  BulkRetryDto,
  DeadLetterQueryDto,
  filterOf,
  GroupsQueryDto,
  RetryDto,
} from './dead-letter.dto';
import { deadLetterDetail, deadLetterItem } from './dead-letter.view';

const DEFAULT_LIMIT = 50;

/** Find, understand, retry and archive dead letters. There is no delete, on purpose. */
@Controller('api')
export class DeadLettersController {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly sender: ReplaySender,
    private readonly jobs: RetryJobs,
    private readonly audit: AuditService,
  ) {}

  @Get('dead-letters')
  async list(@Query() query: DeadLetterQueryDto) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const { items, total } = await this.store.list(filterOf(query), limit, offset);
    return { items: items.map(deadLetterItem), total, limit, offset };
  }

  @Get('dead-letters/:id')
  async detail(@Param('id', ParseUUIDPipe) id: string) {
    const row = await this.store.find(id);
    if (!row) throw new NotFoundException(`no dead letter ${id}`);
    return deadLetterDetail(row, await this.store.history(id));
  }

  @Post('dead-letters/retry')
  @HttpCode(202)
  async bulkRetry(@Body() body: BulkRetryDto, @Actor() actor: string) {
    if (!body.filter && !body.groupId) {
      throw new BadRequestException('give a filter or a groupId');
    }
    const job = await this.jobs.create({
      filter: body.filter ? filterOf(body.filter) : undefined,
      groupId: body.groupId,
      ratePerSecond: body.ratePerSecond,
      reason: body.reason,
      actor,
    });
    return { job: retryJobView(job) };
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(202)
  async retry(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RetryDto,
    @Actor() actor: string,
  ) {
    const sent = await this.sender.retry(id, { actor, reason: body.reason, data: body.data });
    switch (sent.outcome) {
      case 'not-found':
        throw new NotFoundException(`no dead letter ${id}`);
      case 'not-retryable':
        throw new ConflictException(
          `dead letter ${id} is ${sent.status}; only unresolved ones can be retried`,
        );
      case 'invalid-edit':
        throw new BadRequestException(sent.message);
      case 'not-sent':
        throw new ServiceUnavailableException(`not sent: ${sent.message}`);
    }
    await this.audit.record({
      actor,
      action: body.data ? 'edit-and-retry' : 'retry',
      reason: body.reason,
      deadLetterIds: [id],
    });
    return this.item(id);
  }

  @Post('dead-letters/:id/archive')
  @HttpCode(200)
  async archive(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ArchiveDto,
    @Actor() actor: string,
  ) {
    return this.move(id, actor, body.reason, 'archive');
  }

  @Post('dead-letters/:id/unarchive')
  @HttpCode(200)
  async unarchive(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ArchiveDto,
    @Actor() actor: string,
  ) {
    return this.move(id, actor, body.reason, 'unarchive');
  }

  @Get('groups')
  async groups(@Query() query: GroupsQueryDto) {
    const rows = await this.store.groups(query.status);
    return {
      items: rows.map((group) => ({
        ...group,
        eventType: group.eventType || null,
        firstSeen: new Date(group.firstSeen).toISOString(),
        lastSeen: new Date(group.lastSeen).toISOString(),
      })),
    };
  }

  private async move(id: string, actor: string, reason: string, action: 'archive' | 'unarchive') {
    if (!(await this.store.find(id))) throw new NotFoundException(`no dead letter ${id}`);
    const moved =
      action === 'archive'
        ? await this.store.transition(id, ['unresolved', 'resolved'], 'archived', {
            kind: 'archived',
            actor,
            reason,
          })
        : await this.store.transition(id, ['archived'], 'unresolved', {
            kind: 'unarchived',
            actor,
            reason,
          });
    if (!moved) {
      throw new ConflictException(
        action === 'archive'
          ? `dead letter ${id} cannot be archived now (retrying or already archived)`
          : `dead letter ${id} is not archived`,
      );
    }
    await this.audit.record({ actor, action, reason, deadLetterIds: [id] });
    return this.item(id);
  }

  private async item(id: string) {
    const row = await this.store.find(id);
    if (!row) throw new NotFoundException(`no dead letter ${id}`);
    return deadLetterItem(row);
  }
}
