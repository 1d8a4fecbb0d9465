import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse } from '@nestjs/swagger';
import { OpsApi } from '../auth/ops-api.decorator';
import { RetryJobResponse, RetryJobsResponse } from './retry-job.response';
import { retryJobView } from './retry-job.view';
import { RetryJobs } from './retry-jobs';

/** Progress of bulk retries. */
@OpsApi()
@Controller('api/retry-jobs')
export class RetryJobsController {
  constructor(private readonly jobs: RetryJobs) {}

  @Get()
  async list(): Promise<RetryJobsResponse> {
    return { items: (await this.jobs.list()).map(retryJobView) };
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'no such retry job' })
  async detail(@Param('id', ParseUUIDPipe) id: string): Promise<RetryJobResponse> {
    const job = await this.jobs.find(id);
    if (!job) throw new NotFoundException(`no retry job ${id}`);
    return retryJobView(job);
  }
}
