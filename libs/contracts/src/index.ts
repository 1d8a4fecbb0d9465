export * from './lib/envelope';
export * from './lib/payloads';
export * from './lib/catalog';
export * from './lib/create-event';
export * from './lib/validate-event';
