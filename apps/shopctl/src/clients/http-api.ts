import { CliError, ExitCode } from '../cli/exit-codes';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string;
  body?: unknown;
}

/** One JSON call to a service or the ops API; every failure becomes a CliError with its exit code. */
export async function callJson<T>(url: string, request: HttpRequest = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach ${new URL(url).origin} (${(error as Error).cause ?? (error as Error).message}): is the system running?`,
      ExitCode.unreachable,
    );
  }
  const text = await response.text();
  const body = text ? parseJson(text) : undefined;
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message ?? text;
    const hint =
      response.status === 401
        ? ' (set SHOPCTL_OPS_TOKEN, or pass --token, to the OPS_TOKEN the system was started with)'
        : '';
    throw new CliError(
      `${request.method ?? 'GET'} ${url} answered ${response.status}: ${Array.isArray(message) ? message.join('; ') : String(message)}${hint}`,
      response.status >= 500 ? ExitCode.unreachable : ExitCode.refused,
    );
  }
  return body as T;
}

/** JSON when it is JSON, else the text itself: answers and messages are shown either way. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
