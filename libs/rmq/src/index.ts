export * from './lib/rmq.module';
