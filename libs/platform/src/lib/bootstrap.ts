import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { RMQ_OPTIONS, RmqEventServer, RmqOptions } from '@shop/rmq';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { EventLogContextInterceptor } from './event-log-context.interceptor';
import { FAULTS_SETTINGS, FaultsSettings } from './faults/faults.config';
import { serveApiDocsOutsideProduction } from './http/api-docs';
import { startMetricsServer } from './http/metrics-server';
import { storableInputGuard } from './http/storable-input.middleware';
import {
  developmentDefaults,
  InvalidConfigError,
  SERVICE_CONFIG,
  ServiceConfig,
  shownValue,
} from './service-config';

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
  // Safe response headers on every route (nosniff, no framing, a default-deny CSP, ...).
  app.use(helmet());
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  if (config.METRICS_PORT !== undefined) {
    // Metrics have their own port: the public one answers as if they did not exist.
    app.use('/metrics', (_request: Request, response: Response) => response.status(404).end());
  }
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
    // Deferred so that the interceptor below applies to the event handlers.
    // No exception filter: @OnEvent hands the transport the handlers' real errors itself.
    const events = app.connectMicroservice(
      { strategy: app.get(RmqEventServer) },
      { deferInitialization: true },
    );
    events.useGlobalInterceptors(new EventLogContextInterceptor());
  }
  serveApiDocsOutsideProduction(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/** Starts the consumer, then HTTP; on failure prints why and exits with status 1. */
export async function startServiceApp(app: INestApplication): Promise<void> {
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  const log = app.get(Logger);
  reportDevelopmentDefaults(config, log);
  const faults = app.get<FaultsSettings>(FAULTS_SETTINGS);
  log.log(
    faults.enabled
      ? 'fault switches on: /admin/faults (ADMIN_TOKEN)'
      : `fault switches off: ${faults.disabledBecause}`,
    'Bootstrap',
  );
  await app.init();
  await app.startAllMicroservices();
  if (config.METRICS_PORT !== undefined) {
    const metrics: Server = await startMetricsServer(config.METRICS_PORT);
    app.getHttpServer().once('close', () => metrics.close());
  }
  await app.listen(config.PORT, '0.0.0.0');
  log.log(`${config.SERVICE_NAME} listening on :${config.PORT}`, 'Bootstrap');
}

/** Says which development defaults are in use, so nobody ships them by accident. */
function reportDevelopmentDefaults(config: ServiceConfig, log: Logger): void {
  const defaults = developmentDefaults(config.SERVICE_NAME);
  for (const name of config.DEVELOPMENT_DEFAULTS) {
    const value = shownValue(name, defaults[name as keyof typeof defaults]);
    log.warn(
      `${name} not set: using the development default ${value} (refused when NODE_ENV=production)`,
      'Bootstrap',
    );
  }
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
