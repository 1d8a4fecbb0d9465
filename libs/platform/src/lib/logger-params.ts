import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';

const CORRELATION_HEADER = 'x-correlation-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUIET_PATHS = ['/health', '/metrics'];

/**
 * JSON logs, one line each. A request's id is its correlationId (taken from the
 * `X-Correlation-Id` header when the caller sends a UUID), so one id follows an order from
 * the HTTP call through every event of its saga.
 */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
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
    },
  };
}
