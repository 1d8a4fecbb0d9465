import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditController } from '../audit/audit.controller';
import { AuditService } from '../audit/audit.service';
import { ReplayOutcomeListener } from '../retries/replay-outcome-listener';
import { ReplaySender } from '../retries/replay-sender';
import { replayConfig } from '../retries/replay.config';
import { ReplayWatchdog } from '../retries/replay-watchdog';
import { RetryJobs } from '../retries/retry-jobs';
import { RetryJobsController } from '../retries/retry-jobs.controller';
import { DeadLetterCollector } from './dead-letter-collector';
import { DeadLetterStore } from './dead-letter-store';
import { DeadLettersController } from './dead-letters.controller';
import { UnresolvedGauge } from './unresolved-gauge';

/** The dead-letter office: collect, group, find, retry (where it failed), archive, audit. */
@Module({
  imports: [NotificationsModule, ConfigModule.forFeature(replayConfig)],
  controllers: [DeadLettersController, RetryJobsController, AuditController],
  providers: [
    DeadLetterStore,
    DeadLetterCollector,
    UnresolvedGauge,
    ReplaySender,
    ReplayOutcomeListener,
    ReplayWatchdog,
    RetryJobs,
    AuditService,
  ],
})
export class DeadLettersModule {}
