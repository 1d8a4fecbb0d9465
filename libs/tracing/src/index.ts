export * from './lib/start-tracing';
export * from './lib/propagation';
export * from './lib/span-attributes';
