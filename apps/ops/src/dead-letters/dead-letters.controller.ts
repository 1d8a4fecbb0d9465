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
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { Actor } from '../auth/actor.decorator';
import { OpsApi } from '../auth/ops-api.decorator';
import { AuditService } from '../audit/audit.service';
import { ReplaySender } from '../retries/replay-sender';
import { BulkRetryResponse } from '../retries/retry-job.response';
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
import {
  DeadLetterDetailResponse,
  DeadLetterPageResponse,
  DeadLetterResponse,
  FailureGroupsResponse,
} from './dead-letter.response';
import { deadLetterDetail, deadLetterItem } from './dead-letter.view';

const DEFAULT_LIMIT = 50;

/** Find, understand, retry and archive dead letters. There is no delete, on purpose. */
@OpsApi()
@Controller('api')
export class DeadLettersController {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly sender: ReplaySender,
    private readonly jobs: RetryJobs,
    private readonly audit: AuditService,
  ) {}

  /** Newest first; `q` searches ids, the error and the payload. */
  @Get('dead-letters')
  @ApiBadRequestResponse({ description: 'a filter or the page is out of bounds' })
  async list(@Query() query: DeadLetterQueryDto): Promise<DeadLetterPageResponse> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const { items, total } = await this.store.list(filterOf(query), limit, offset);
    return { items: items.map(deadLetterItem), total, limit, offset };
  }

  /** The dead letter, its message as stored (bytes, text, JSON, headers) and its history. */
  @Get('dead-letters/:id')
  @ApiNotFoundResponse({ description: 'no such dead letter' })
  async detail(@Param('id', ParseUUIDPipe) id: string): Promise<DeadLetterDetailResponse> {
    const row = await this.store.find(id);
    if (!row) throw new NotFoundException(`no dead letter ${id}`);
    return deadLetterDetail(row, await this.store.history(id));
  }

  /** Starts a bulk retry of the dead letters a filter or a group selects, at a gentle rate. */
  @Post('dead-letters/retry')
  @HttpCode(202)
  @ApiBadRequestResponse({ description: 'neither a filter nor a groupId, or an invalid one' })
  async bulkRetry(@Body() body: BulkRetryDto, @Actor() actor: string): Promise<BulkRetryResponse> {
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

  /** Replays it to the service that failed, only there; with `data`, as a new, edited event. */
  @Post('dead-letters/:id/retry')
  @HttpCode(202)
  @ApiBadRequestResponse({ description: 'the edited data breaks the event contract' })
  @ApiNotFoundResponse({ description: 'no such dead letter' })
  @ApiConflictResponse({ description: 'not unresolved: only unresolved dead letters are retried' })
  @ApiServiceUnavailableResponse({ description: 'the broker did not take the message' })
  async retry(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RetryDto,
    @Actor() actor: string,
  ): Promise<DeadLetterResponse> {
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

  /** Puts it aside, with a reason; nothing is ever deleted. */
  @Post('dead-letters/:id/archive')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'no such dead letter' })
  @ApiConflictResponse({ description: 'retrying, or archived already' })
  async archive(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ArchiveDto,
    @Actor() actor: string,
  ): Promise<DeadLetterResponse> {
    return this.move(id, actor, body.reason, 'archive');
  }

  /** Back to unresolved, with a reason. */
  @Post('dead-letters/:id/unarchive')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'no such dead letter' })
  @ApiConflictResponse({ description: 'not archived' })
  async unarchive(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ArchiveDto,
    @Actor() actor: string,
  ): Promise<DeadLetterResponse> {
    return this.move(id, actor, body.reason, 'unarchive');
  }

  /** Failure groups, most recent first, with how many of each are still unresolved. */
  @Get('groups')
  async groups(@Query() query: GroupsQueryDto): Promise<FailureGroupsResponse> {
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
