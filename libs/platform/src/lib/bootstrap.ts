import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { EventErrorPassthroughFilter, RMQ_OPTIONS, RmqEventServer, RmqOptions } from '@shop/rmq';
import { Logger } from 'nestjs-pino';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { EventLogContextInterceptor } from './event-log-context.interceptor';
import { serveApiDocsOutsideProduction } from './http/api-docs';
import { storableInputGuard } from './http/storable-input.middleware';
import { InvalidConfigError, SERVICE_CONFIG, ServiceConfig } from './service-config';

/** Request bodies above this are refused with 413 before any code reads them. */
export const MAX_BODY_SIZE = '64kb';

/** Builds a service app, HTTP and event consumer (if it consumes events) together. Nothing listens yet. */
export async function createServiceApp(appModule: Type<unknown>): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    // Start-up failures are reported once, by runService, not also as a stack trace from Nest.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: MAX_BODY_SIZE });
  // After the body parser, so parsed bodies are checked too.
  app.use(storableInputGuard);
  app.useGlobalFilters(new DatabaseUnavailableFilter(app.get(HttpAdapterHost).httpAdapter));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  if (app.get<RmqOptions>(RMQ_OPTIONS).consumesEvents !== false) {
    // Deferred so that the filter and interceptor below apply to the event handlers.
    const events = app.connectMicroservice(
      { strategy: app.get(RmqEventServer) },
      { deferInitialization: true },
    );
    events.useGlobalFilters(new EventErrorPassthroughFilter());
    events.useGlobalInterceptors(new EventLogContextInterceptor());
  }
  serveApiDocsOutsideProduction(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/** Starts the consumer, then HTTP; on failure prints why and exits with status 1. */
export async function startServiceApp(app: INestApplication): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  await app.listen(config.PORT, '0.0.0.0');
  app.get(Logger).log(`${config.SERVICE_NAME} listening on :${config.PORT}`, 'Bootstrap');
}

/** The whole `main.ts` of a service. */
export async function runService(appModule: Type<unknown>): Promise<void> {
  try {
    await startServiceApp(await createServiceApp(appModule));
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`failed to start: ${(error as Error)?.stack ?? error}\n`);
    }
    process.exit(1);
  }
}
