import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import {
  EventErrorPassthroughFilter,
  RetryPolicy,
  RmqConnection,
  RmqEventServer,
  RmqOptions,
  RmqPublisher,
} from '@shop/rmq';

export interface EventServerHarness {
  app: INestMicroservice;
  connection: RmqConnection;
  publisher: RmqPublisher;
  server: RmqEventServer;
  close(): Promise<void>;
}

export interface HarnessOptions {
  url: string;
  service: string;
  controllers: Type[];
  retry?: RetryPolicy;
  prefetch?: number;
  drainTimeoutMs?: number;
}

/** The event server with a test's own @EventPattern handlers, on a real broker. */
export async function startEventServer(options: HarnessOptions): Promise<EventServerHarness> {
  const rmqOptions: RmqOptions = {
    service: options.service,
    url: options.url,
    prefetch: options.prefetch ?? 10,
    retry: options.retry ?? { delaysMs: [100, 200, 400], maxAttempts: 4 },
    publishTimeoutMs: 5_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 5_000,
  };
  const connection = new RmqConnection(rmqOptions);
  const publisher = new RmqPublisher(connection, rmqOptions);
  const server = new RmqEventServer(connection, publisher, rmqOptions);

  @Module({ controllers: options.controllers })
  class HarnessModule {}

  const app = await NestFactory.createMicroservice(HarnessModule, {
    strategy: server,
    logger: ['error'],
  });
  app.useGlobalFilters(new EventErrorPassthroughFilter());
  await app.listen();
  return {
    app,
    connection,
    publisher,
    server,
    async close() {
      await app.close();
      await publisher.close();
      await connection.close();
    },
  };
}
