import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Inbox,
  MessagePruner,
  MessagingModule,
  MessagingOptions,
  Outbox,
  OutboxRelay,
} from '@shop/messaging';
import { Database, DATABASE, PersistenceModule } from '@shop/persistence';
import { RmqModule } from '@shop/rmq';
import { join } from 'node:path';

export interface MessagingHarness {
  app: INestApplicationContext;
  db: Database;
  inbox: Inbox;
  outbox: Outbox;
  relay: OutboxRelay;
  pruner: MessagePruner;
  close(): Promise<void>;
}

/** Inbox, outbox and relay over a real database and broker, without any service around them. */
export async function startMessaging(options: {
  brokerUrl: string;
  databaseUrl: string;
  pollIntervalMs?: number;
  pruning?: MessagingOptions['pruning'];
}): Promise<MessagingHarness> {
  @Module({
    imports: [
      PersistenceModule.forRootAsync({
        useFactory: () => ({
          url: options.databaseUrl,
          poolSize: 5,
          migrationsFolder: join(__dirname, '..', 'messaging', 'migrations'),
        }),
      }),
      RmqModule.forRoot({
        service: 'messaging-test',
        url: options.brokerUrl,
        prefetch: 1,
        retry: { delaysMs: [100], maxAttempts: 2 },
        publishTimeoutMs: 5_000,
      }),
      MessagingModule.forRootAsync({
        useFactory: () => ({
          consumer: 'messaging-test',
          relay: { pollIntervalMs: options.pollIntervalMs ?? 200 },
          pruning: options.pruning,
        }),
      }),
    ],
  })
  class MessagingHarnessModule {}

  const app = await NestFactory.createApplicationContext(MessagingHarnessModule, { logger: false });
  return {
    app,
    db: app.get<Database>(DATABASE),
    inbox: app.get(Inbox),
    outbox: app.get(Outbox),
    relay: app.get(OutboxRelay),
    pruner: app.get(MessagePruner),
    close: () => app.close(),
  };
}
