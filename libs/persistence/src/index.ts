export * from './lib/database.options';
export * from './lib/database.types';
export * from './lib/database.service';
export * from './lib/ensure-database';
export * from './lib/connection-errors';
export * from './lib/advisory-lock';
export * from './lib/run-migrations';
export * from './lib/persistence.module';
