import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { journalConfig } from './journal.config';
import { JournalPruner } from './journal-pruner';
import { JournalWriter } from './journal-writer';
import { MessagesController } from './messages.controller';
import { SagaQuery } from './saga-query';

/** Every event of `shop.events`, kept for OPS_JOURNAL_RETENTION_DAYS, and the saga timeline. */
@Module({
  imports: [ConfigModule.forFeature(journalConfig)],
  controllers: [MessagesController],
  providers: [JournalWriter, JournalPruner, SagaQuery],
})
export class JournalModule {}
