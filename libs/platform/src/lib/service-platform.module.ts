import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingModule } from '@shop/messaging';
import { DatabaseService, PersistenceModule } from '@shop/persistence';
import { RmqModule } from '@shop/rmq';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { databaseGuard } from './database-guard';
import { FaultsModule } from './faults/faults.module';
import { BrokerHealthIndicator } from './health/broker.health';
import { ConsumerHealthIndicator } from './health/consumer.health';
import { DatabaseHealthIndicator } from './health/database.health';
import { FaultsHealthIndicator } from './health/faults.health';
import { HealthController } from './health/health.controller';
import { loggerParams } from './logger-params';
import { BusLogForwarder } from './monitoring/bus-log-forwarder';
import { BusLogStream } from './monitoring/bus-log-stream';
import { HeartbeatPublisher } from './monitoring/heartbeat';
import { MonitoringBus } from './monitoring/monitoring-bus';
import { MonitoringHealthIndicator } from './health/monitoring.health';
import { SERVICE_CONFIG, ServiceConfig, serviceConfig } from './service-config';

const DAY_MS = 24 * 60 * 60 * 1_000;

export interface ServicePlatformOptions {
  /** Names the queues (`<service>.events`), the default database and the logs. */
  service: string;
  defaultPort: number;
  /** The service's drizzle-kit migrations, applied on start-up. */
  migrationsFolder: string;
  /**
   * False for a service with no `@EventPattern` handlers (apps/ops): no event server starts,
   * the whole topology is still declared, and its own queues are consumed through
   * `QueueProcessors` (libs/rmq). Default true.
   */
  consumesEvents?: boolean;
}

/**
 * Everything a service process needs besides its business: validated config, JSON logs,
 * /metrics, /health, its database, RabbitMQ, the inbox/outbox, and its heartbeats and logs on
 * `shop.monitoring`. An app imports this once.
 */
@Module({})
export class ServicePlatformModule {
  static forRoot(options: ServicePlatformOptions): DynamicModule {
    const messaging = MessagingModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => ({
        consumer: config.SERVICE_NAME,
        relay: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS },
        pruning: { retentionMs: config.MESSAGE_RETENTION_DAYS * DAY_MS },
      }),
    });
    // Made before Nest, with the logger; attached to the bus once RabbitMQ is there.
    const busLogs = new BusLogStream(options.service);
    return {
      module: ServicePlatformModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [serviceConfig(options.service, options.defaultPort)],
        }),
        LoggerModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) =>
            loggerParams(config.SERVICE_NAME, config.LOG_LEVEL, {
              level: config.LOG_BUS_LEVEL,
              stream: busLogs,
            }),
        }),
        PrometheusModule.register({
          path: '/metrics',
          defaultLabels: { service: options.service },
          defaultMetrics: { enabled: true },
        }),
        TerminusModule.forRoot({ logger: false }),
        PersistenceModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => ({
            url: config.DATABASE_URL,
            poolSize: config.DATABASE_POOL_SIZE,
            migrationsFolder: options.migrationsFolder,
          }),
        }),
        RmqModule.forRootAsync({
          inject: [SERVICE_CONFIG, DatabaseService],
          useFactory: (config: ServiceConfig, database: DatabaseService) => ({
            service: config.SERVICE_NAME,
            url: config.RABBITMQ_URL,
            prefetch: config.RABBITMQ_PREFETCH,
            queueType: config.RABBITMQ_QUEUE_TYPE,
            retry: { delaysMs: config.RETRY_DELAYS_MS, maxAttempts: config.RETRY_MAX_ATTEMPTS },
            drainTimeoutMs: config.SHUTDOWN_DRAIN_TIMEOUT_MS,
            consumesEvents: options.consumesEvents ?? true,
            // A database outage pauses consuming instead of burning retry attempts.
            dependencyGuard: databaseGuard(database),
          }),
        }),
        messaging,
        FaultsModule,
      ],
      controllers: [HealthController],
      providers: [
        DatabaseHealthIndicator,
        BrokerHealthIndicator,
        ConsumerHealthIndicator,
        MonitoringHealthIndicator,
        FaultsHealthIndicator,
        MonitoringBus,
        HeartbeatPublisher,
        BusLogForwarder,
        { provide: BusLogStream, useValue: busLogs },
      ],
      exports: [messaging],
    };
  }
}
