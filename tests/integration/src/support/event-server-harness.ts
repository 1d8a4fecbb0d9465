import { ExceptionFilter, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import { declareShopTopology } from '@shop/provisioning';
import {
  DependencyGuard,
  ProbeBackoff,
  RetryPolicy,
  RmqConnection,
  RmqEventServer,
  RmqOptions,
  QueueType,
  RmqPublisher,
  Subscriptions,
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
  /** Must list `service` with exactly the event types its controllers handle. */
  subscriptions: Subscriptions;
  retry?: RetryPolicy;
  dependencyGuard?: DependencyGuard;
  probeBackoff?: ProbeBackoff;
  prefetch?: number;
  drainTimeoutMs?: number;
  /** Default quorum, as in production. */
  queueType?: QueueType;
  /** Filters an app might install; the transport must not depend on any. */
  globalFilters?: ExceptionFilter[];
}

/**
 * The event server with a test's own @OnEvent handlers, on a real broker; no filter installed. The harness
 * plays the setup step first (`url` is an administrator's): the whole topology of the test's
 * subscriptions is there before the server starts, as in production.
 */
export async function startEventServer(options: HarnessOptions): Promise<EventServerHarness> {
  await declareShopTopology(options.url, options.subscriptions, () => undefined, {
    queueType: options.queueType,
  });
  const rmqOptions: RmqOptions = {
    service: options.service,
    url: options.url,
    queueType: options.queueType,
    prefetch: options.prefetch ?? 10,
    retry: options.retry ?? { delaysMs: [100, 200, 400], maxAttempts: 4 },
    publishTimeoutMs: 5_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 5_000,
    subscriptions: options.subscriptions,
    dependencyGuard: options.dependencyGuard,
    probeBackoff: options.probeBackoff,
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
  app.useGlobalFilters(...(options.globalFilters ?? []));
  try {
    await app.listen();
  } catch (error) {
    await app.close().catch(() => undefined);
    await publisher.close();
    await connection.close();
    throw error;
  }
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
