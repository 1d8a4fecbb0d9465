import { DynamicModule, FactoryProvider, Module, Provider } from '@nestjs/common';
import { RmqConnection } from './rmq-connection';
import { RmqEventServer } from './rmq-event-server';
import { QueueProcessors } from './queue-processors';
import { RmqPublisher } from './rmq-publisher';
import { RMQ_OPTIONS, RmqOptions } from './rmq.options';

export interface RmqModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: (...args: any[]) => RmqOptions | Promise<RmqOptions>;
}

/**
 * Everything RabbitMQ for one service: the self-healing connection, the confirming publisher
 * the event server (the Nest transport that feeds `@EventPattern` handlers) and the queue
 * processors (any other queue, consumed with a handler).
 */
@Module({})
export class RmqModule {
  static forRoot(options: RmqOptions): DynamicModule {
    return RmqModule.build({ provide: RMQ_OPTIONS, useValue: options });
  }

  static forRootAsync(options: RmqModuleAsyncOptions): DynamicModule {
    return {
      ...RmqModule.build({
        provide: RMQ_OPTIONS,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      }),
      imports: options.imports ?? [],
    };
  }

  private static build(optionsProvider: Provider): DynamicModule {
    return {
      module: RmqModule,
      global: true,
      providers: [optionsProvider, RmqConnection, RmqPublisher, RmqEventServer, QueueProcessors],
      exports: [RMQ_OPTIONS, RmqConnection, RmqPublisher, RmqEventServer, QueueProcessors],
    };
  }
}
