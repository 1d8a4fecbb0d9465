/**
 * GELF 1.1 (Graylog Extended Log Format) from a pino JSON line, so a Graylog AMQP input can
 * read the shop's bus logs unchanged. Only primitives may be additional fields; they carry
 * a `_` prefix, and `_id` is reserved by Graylog.
 */
export interface GelfMessage {
  version: '1.1';
  host: string;
  short_message: string;
  full_message?: string;
  /** Seconds since the epoch, with milliseconds as the fraction. */
  timestamp: number;
  /** Syslog severity. */
  level: number;
  [additional: `_${string}`]: string | number | boolean;
}

/** pino level name to syslog severity (RFC 5424). */
export const SYSLOG_LEVELS: Readonly<Record<string, number>> = {
  fatal: 2,
  error: 3,
  warn: 4,
  info: 6,
  debug: 7,
  trace: 7,
};

/** Fields with a GELF meaning of their own, or none at all on the bus. */
const CONSUMED = new Set(['level', 'time', 'msg', 'err', 'hostname', 'pid', 'v']);

/** The fields every analyst searches by, under the names Graylog users expect. */
const RENAMED: Readonly<Record<string, string>> = {
  service: '_service',
  correlationId: '_correlation_id',
  causationId: '_causation_id',
  eventId: '_event_id',
  eventType: '_event_type',
};

export function toGelf(record: Record<string, unknown>, host: string): GelfMessage {
  const levelName = String(record['level']);
  const message = typeof record['msg'] === 'string' ? record['msg'] : '';
  const error = record['err'] as { message?: string; stack?: string } | undefined;
  const [firstLine] = message.split('\n', 1);
  const shortMessage = firstLine || error?.message || '(no message)';
  const fullMessage = error?.stack ?? (message.includes('\n') ? message : undefined);
  const time = Date.parse(String(record['time']));
  const gelf: GelfMessage = {
    version: '1.1',
    host,
    short_message: shortMessage,
    ...(fullMessage ? { full_message: fullMessage } : {}),
    timestamp: (Number.isNaN(time) ? Date.now() : time) / 1_000,
    level: SYSLOG_LEVELS[levelName] ?? 6,
    _level_name: levelName,
  };
  for (const [key, value] of Object.entries(record)) {
    if (CONSUMED.has(key) || value === null || value === undefined) continue;
    const name = RENAMED[key] ?? `_${snakeCase(key)}`;
    if (name === '_id') continue;
    gelf[name as `_${string}`] =
      typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
  }
  return gelf;
}

function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^\w.-]/g, '_')
    .toLowerCase();
}
