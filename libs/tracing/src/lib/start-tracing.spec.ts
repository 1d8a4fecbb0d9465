import { tracingRequested } from './start-tracing';

describe('tracingRequested', () => {
  it('is off when no OTEL variable is set', () => {
    expect(tracingRequested({})).toBe(false);
  });

  it('is on when an OTLP endpoint is set, for all signals or for traces', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x/v1/traces' })).toBe(
      true,
    );
  });

  it('is off for an empty endpoint (the compose default)', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
  });

  it('follows OTEL_TRACES_EXPORTER when it names exporters', () => {
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(
      tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }),
    ).toBe(false);
  });

  it('is off when OTEL_SDK_DISABLED is true', () => {
    expect(
      tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }),
    ).toBe(false);
  });
});
