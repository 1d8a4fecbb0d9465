import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  deserializeTraceContext,
  extractTraceContext,
  injectTraceHeaders,
  serializeTraceContext,
} from './propagation';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('with tracing off (no SDK registered)', () => {
  it('writes no trace headers and stores no outbox context', () => {
    expect(injectTraceHeaders({})).toEqual({});
    expect(serializeTraceContext()).toBeNull();
  });
});

describe('with tracing on', () => {
  const tracer = () => trace.getTracer('spec');

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider());
  });

  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('injects the active span into AMQP headers, keeping the headers already there', () => {
    tracer().startActiveSpan('publish', (span) => {
      const headers = injectTraceHeaders({ 'x-event-version': 1 });
      expect(headers['x-event-version']).toBe(1);
      expect(headers['traceparent']).toMatch(TRACEPARENT);
      expect(headers['traceparent']).toContain(span.spanContext().traceId);
      expect(headers['traceparent']).toContain(span.spanContext().spanId);
      span.end();
    });
  });

  it('extracts the publisher span as the remote parent, from strings or Buffers', () => {
    tracer().startActiveSpan('publish', (span) => {
      const { traceparent } = injectTraceHeaders({}) as { traceparent: string };
      for (const value of [traceparent, Buffer.from(traceparent)]) {
        const parent = trace.getSpanContext(extractTraceContext({ traceparent: value }));
        expect(parent).toMatchObject({
          traceId: span.spanContext().traceId,
          spanId: span.spanContext().spanId,
          isRemote: true,
        });
      }
      span.end();
    });
  });

  it('extracts nothing from headers without trace context, even inside another span', () => {
    tracer().startActiveSpan('unrelated', (span) => {
      expect(trace.getSpanContext(extractTraceContext({ 'x-attempts': 2 }))).toBeUndefined();
      expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
      span.end();
    });
  });

  it('stores the active context as JSON text and restores the same span as parent', () => {
    const stored = tracer().startActiveSpan('handler', (span) => {
      const text = serializeTraceContext();
      span.end();
      return { text, spanContext: span.spanContext() };
    });
    expect(JSON.parse(stored.text as string)).toEqual({
      traceparent: expect.stringMatching(TRACEPARENT),
    });
    // Restored later, elsewhere: in the relay, with another span active.
    tracer().startActiveSpan('relay batch', (other) => {
      const restored = trace.getSpanContext(deserializeTraceContext(stored.text));
      expect(restored).toMatchObject({
        traceId: stored.spanContext.traceId,
        spanId: stored.spanContext.spanId,
      });
      other.end();
    });
  });

  it('stores null without an active span, and restores the root context from null or junk', () => {
    expect(serializeTraceContext(ROOT_CONTEXT)).toBeNull();
    for (const stored of [null, undefined, '', 'not json', '[]', '42', '{"traceparent":7}']) {
      expect(deserializeTraceContext(stored)).toBe(ROOT_CONTEXT);
    }
  });
});
