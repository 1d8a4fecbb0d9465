export * from './lib/service-config';
export * from './lib/service-platform.module';
export * from './lib/bootstrap';
export * from './lib/event-log-context.interceptor';
export * from './lib/http/api-docs';
export * from './lib/http/money.response';
