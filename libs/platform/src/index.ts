export * from './lib/service-config';
export * from './lib/service-platform.module';
export * from './lib/bootstrap';
export * from './lib/event-log-context.interceptor';
