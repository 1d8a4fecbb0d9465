// Imported first by main.ts: the tracing SDK must patch http, express, Nest, pg and pino
// before they are loaded. Off unless the OTEL_* variables ask for it.
import { startTracing } from '@shop/tracing';
import { SERVICE_NAME } from './app/service-name';

startTracing(SERVICE_NAME);
