import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A span as a service exported it, flattened for assertions. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Absent for the root of a trace. */
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  events: string[];
  startTimeUnixNano: string;
}

export const SpanKinds = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
  events?: Array<{ name: string }>;
}
interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
  }>;
}

/**
 * An OTLP/HTTP JSON trace receiver in the test process: services export to it
 * (`OTEL_EXPORTER_OTLP_ENDPOINT=<url>`, `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) and tests
 * read the spans back, no collector or Jaeger needed.
 */
export class OtlpReceiver {
  private readonly received: ReceivedSpan[] = [];
  private exports = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server: Server = createServer((request, response) => {
      void readBody(request).then(
        (body) => {
          if (request.method === 'POST' && request.url === '/v1/traces') {
            receiver.accept(JSON.parse(body.toString('utf8')) as OtlpTraces);
            response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          } else {
            response.writeHead(404).end();
          }
        },
        () => response.writeHead(400).end(),
      );
    });
    const receiver = new OtlpReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Environment that makes a service export its spans here, quickly. */
  env(): Record<string, string> {
    return {
      OTEL_EXPORTER_OTLP_ENDPOINT: this.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
  }

  /** Export requests received so far (with tracing off: none). */
  get exportCount(): number {
    return this.exports;
  }

  spans(): ReceivedSpan[] {
    return [...this.received];
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.received.filter((span) => span.traceId === traceId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(body: OtlpTraces): void {
    this.exports++;
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(
        attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? 'unknown',
      );
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.received.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId && { parentSpanId: span.parentSpanId }),
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            statusCode: span.status?.code ?? 0,
            events: (span.events ?? []).map((event) => event.name),
            startTimeUnixNano: String(span.startTimeUnixNano),
          });
        }
      }
    }
  }
}

/** A trace as an indented tree of `service: span name`, children in start order. */
export function formatTraceTree(spans: ReceivedSpan[]): string {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const byStart = (a: ReceivedSpan, b: ReceivedSpan) =>
    BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1;
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of [...(children.get(parent) ?? [])].sort(byStart)) {
      const attempt = span.attributes['shop.attempt'];
      const suffix = attempt !== undefined ? ` (attempt ${attempt})` : '';
      lines.push(`${'  '.repeat(depth)}${span.service}: ${span.name}${suffix}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

function attributesOf(attributes: OtlpAttribute[] | undefined): ReceivedSpan['attributes'] {
  const result: ReceivedSpan['attributes'] = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) result[key] = value.stringValue;
    else if (value.intValue !== undefined) result[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) result[key] = value.doubleValue;
    else if (value.boolValue !== undefined) result[key] = value.boolValue;
  }
  return result;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}
