export * from './lib/messaging.schema';
export * from './lib/messaging.options';
export * from './lib/inbox';
export * from './lib/ignored-duplicate';
export * from './lib/outbox';
export * from './lib/outbox-relay';
export * from './lib/message-pruner';
export * from './lib/messaging.module';
