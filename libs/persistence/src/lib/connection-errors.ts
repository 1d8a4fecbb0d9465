const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
];

/**
 * True when an error means "the database is unreachable right now" (connection refused or
 * lost, server starting up or shutting down, no pooled connection in time) rather than a
 * problem with the query itself. Looks through wrappers such as drizzle's query error.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const { code, message } = current as { code?: string; message?: string };
    // SQLSTATE classes 08 (connection exception) and 57 (operator intervention, e.g. shutdown).
    if (code && (CONNECTION_CODES.has(code) || /^(08|57)/.test(code))) return true;
    if (message && CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}
