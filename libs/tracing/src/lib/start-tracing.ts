import type { NodeSDK } from '@opentelemetry/sdk-node';

/** Requests nobody wants a trace of: probes and scrapes, every few seconds. */
const QUIET_PATHS = ['/health', '/metrics'];

let sdk: NodeSDK | undefined;

/** The standard OpenTelemetry variables: read by the SDK, not by the service config. */
export function isOpenTelemetryVariable(name: string): boolean {
  return name.startsWith('OTEL_');
}

/**
 * Whether the standard `OTEL_*` variables ask for spans to be exported: an OTLP endpoint, or an
 * explicit `OTEL_TRACES_EXPORTER`. Nothing set means off.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (exporters.length > 0) return !exporters.every((name) => name === 'none');
  return Boolean(
    env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim(),
  );
}

/**
 * Starts the OpenTelemetry SDK when the environment asks for it; returns whether it did.
 *
 * Call it before anything else is loaded: instrumentations patch `http`, `express`,
 * `@nestjs/core`, `pg` and `pino` when they are first required, so each service's `main.ts`
 * imports its `instrument.ts` first. Exporter, protocol, sampler and batching come from the
 * standard `OTEL_*` variables (`OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_BSP_SCHEDULE_DELAY`...).
 *
 * Off, nothing is loaded: `@opentelemetry/api` alone answers with its no-op tracer and
 * propagator, so spans cost nothing and no `traceparent` is written.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk) return true;
  if (!tracingRequested(env)) return false;
  // Required here, not imported: when tracing is off, the SDK is never loaded at all.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } =
    require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation, ExpressLayerType } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } =
    require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { PinoInstrumentation } =
    require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME']?.trim() || service,
    // Traces only: metrics are Prometheus's job here, logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) =>
          QUIET_PATHS.some((path) => request.url?.startsWith(path)),
      }),
      // No span per express layer (Nest's own span names the controller method): it is here
      // to name the request span by its route, `POST /orders`.
      new ExpressInstrumentation({ ignoreLayersType: Object.values(ExpressLayerType) }),
      new NestInstrumentation(),
      // Only SQL that belongs to a traced request or message: the relay's polling and the
      // sweepers would otherwise open a new trace every second.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      // trace_id and span_id in every log line; the lines themselves stay on stdout.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
  return true;
}

/** Exports the spans still buffered and stops the SDK; a no-op when tracing is off. */
export async function shutdownTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
