import { DynamicModule, FactoryProvider, Module } from '@nestjs/common';
import { Inbox } from './inbox';
import { MessagePruner } from './message-pruner';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { OutboxStore } from './outbox-store';

export interface MessagingModuleAsyncOptions {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: any[]) => MessagingOptions | Promise<MessagingOptions>;
}

/**
 * Inbox, outbox, relay and pruner. Not global on purpose: Nest then shuts it down before the global
 * broker and database modules it needs for its final flush.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        Inbox,
        Outbox,
        OutboxStore,
        OutboxRelay,
        MessagePruner,
      ],
      exports: [Inbox, Outbox, OutboxRelay, MessagePruner],
    };
  }
}
