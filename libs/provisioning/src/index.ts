export * from './lib/management-api';
export * from './lib/service-account';
export * from './lib/broker-provisioning';
export * from './lib/database-provisioning';
export * from './lib/queue-migration';
