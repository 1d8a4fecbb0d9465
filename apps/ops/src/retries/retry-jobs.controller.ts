import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { retryJobView } from './retry-job.view';
import { RetryJobs } from './retry-jobs';

/** Progress of bulk retries. */
@Controller('api/retry-jobs')
export class RetryJobsController {
  constructor(private readonly jobs: RetryJobs) {}

  @Get()
  async list() {
    return { items: (await this.jobs.list()).map(retryJobView) };
  }

  @Get(':id')
  async detail(@Param('id', ParseUUIDPipe) id: string) {
    const job = await this.jobs.find(id);
    if (!job) throw new NotFoundException(`no retry job ${id}`);
    return retryJobView(job);
  }
}
