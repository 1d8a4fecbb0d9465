import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { destination, DestinationStream, Level, multistream, stdTimeFunctions } from 'pino';

const CORRELATION_HEADER = 'x-correlation-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUIET_PATHS = ['/health', '/metrics'];

/** Where the lines at or above `level` go besides stdout: the bus, at `LOG_BUS_LEVEL`. */
export interface BusLogDestination {
  level: Level | 'silent';
  stream: DestinationStream;
}

/**
 * JSON logs, one line each, to stdout and (from `bus.level` up) to the bus. A request's id is its
 * correlationId (taken from the `X-Correlation-Id` header when the caller sends a UUID), so
 * one id follows an order from the HTTP call through every event of its saga.
 */
export function loggerParams(service: string, level: string, bus: BusLogDestination): Params {
  const options: Options = {
    level,
    base: { service },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const offered = req.headers[CORRELATION_HEADER];
      const id = typeof offered === 'string' && UUID.test(offered) ? offered : randomUUID();
      res.setHeader(CORRELATION_HEADER, id);
      return id;
    },
    customProps: (req: IncomingMessage) => ({
      correlationId: (req as IncomingMessage & { id: string }).id,
    }),
    autoLogging: {
      ignore: (req: IncomingMessage) => QUIET_PATHS.some((path) => req.url?.startsWith(path)),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  const streams = multistream([
    { level: 'trace', stream: destination(1) },
    // pino's typings leave 'silent' out, though multistream honours it (nothing passes).
    { level: bus.level as Level, stream: bus.stream },
  ]);
  return { pinoHttp: [options, streams] };
}
