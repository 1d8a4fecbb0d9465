import {
  Context,
  context,
  propagation,
  ROOT_CONTEXT,
  TextMapGetter,
  TextMapSetter,
} from '@opentelemetry/api';

/** AMQP message headers, as amqplib gives and takes them (values may arrive as Buffers). */
export type HeaderCarrier = Record<string, unknown>;

const headerSetter: TextMapSetter<HeaderCarrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const headerGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined || value === null) return undefined;
    return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  },
};

/** Writes `traceparent` (and `tracestate`) of `from` into the headers; nothing when tracing is off. */
export function injectTraceHeaders(
  headers: HeaderCarrier,
  from: Context = context.active(),
): HeaderCarrier {
  propagation.inject(from, headers, headerSetter);
  return headers;
}

/**
 * The context a message was published in, read from its headers. It starts from the root
 * context, never the active one: a consumer must not inherit whatever happens to be running.
 */
export function extractTraceContext(headers: HeaderCarrier | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, headerGetter);
}

/**
 * The active trace context as text for an outbox row (a JSON object of W3C headers), or null
 * when there is none (tracing off, or no span). The outbox breaks the call stack; this lets
 * the relay pick the trace up again.
 */
export function serializeTraceContext(from: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return Object.keys(carrier).length > 0 ? JSON.stringify(carrier) : null;
}

/** The context stored by `serializeTraceContext`; the root context for null or unreadable text. */
export function deserializeTraceContext(stored: string | null | undefined): Context {
  if (!stored) return ROOT_CONTEXT;
  let carrier: unknown;
  try {
    carrier = JSON.parse(stored);
  } catch {
    return ROOT_CONTEXT;
  }
  if (typeof carrier !== 'object' || carrier === null || Array.isArray(carrier))
    return ROOT_CONTEXT;
  const headers = Object.fromEntries(
    Object.entries(carrier).filter(([, value]) => typeof value === 'string'),
  );
  return propagation.extract(ROOT_CONTEXT, headers);
}
