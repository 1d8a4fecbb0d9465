// The ops JSON API with the operator's token. The token lives in sessionStorage only: it is
// gone when the tab closes, and other tabs and sites never see it.

const TOKEN_KEY = 'ops-console-token';

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {unknown} body */
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Thrown on 401: the token is wrong or no longer accepted. */
export class AuthError extends ApiError {}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string} token */
export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Called on any 401, so the app can return to the sign-in screen. */
let onUnauthorized = () => undefined;
/** @param {() => void} handler */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/**
 * @param {string} path e.g. `/api/dead-letters`
 * @param {{ method?: string, body?: unknown, query?: Record<string, unknown>, token?: string }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', body, query, token } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '')
      url.searchParams.set(name, String(value));
  }
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const bearer = token ?? getToken();
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The ops service cannot be reached. Is it running?', null);
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (response.ok) return parsed;
  const message = messageOf(parsed) ?? `${response.status} ${response.statusText}`;
  if (response.status === 401) {
    // A probe with an explicit token (sign-in) reports the error itself.
    if (token === undefined) onUnauthorized();
    throw new AuthError(401, message, parsed);
  }
  throw new ApiError(response.status, message, parsed);
}

/** Nest errors carry `message` as a string or a list of validation messages. */
function messageOf(body) {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body : null;
  const message = body.message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : null;
}
