/** Longest path segment a route accepts: ids, skus and names are far shorter. */
export const MAX_PATH_SEGMENT_CHARS = 256;
/** Longest query-string value a route accepts. */
export const MAX_QUERY_VALUE_CHARS = 1_024;

const NUL = '\u0000';
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a piece of text can never be stored by PostgreSQL (which refuses NUL characters in text
 * and jsonb, and any text that is not valid UTF-8), or undefined when it can.
 */
export function unstorableText(value: string): string | undefined {
  if (value.includes(NUL)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode (a lone surrogate)';
  return undefined;
}

/**
 * The first problem found in a request's path, query and parsed body, described for the
 * caller (`query.customerId contains a NUL character`), or undefined when all is storable.
 */
export function findUnstorableInput(request: {
  /** The request target as sent: path and query string, still percent-encoded. */
  originalUrl: string;
  query: unknown;
  body: unknown;
}): string | undefined {
  const [path, rawQuery = ''] = request.originalUrl.split('?', 2);
  return (
    pathProblem(path) ??
    rawQueryProblem(rawQuery) ??
    valueProblem(request.query, 'query', MAX_QUERY_VALUE_CHARS) ??
    valueProblem(request.body, 'body', Infinity)
  );
}

function pathProblem(path: string): string | undefined {
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'path is not valid percent-encoded UTF-8';
    }
    if (segment.length > MAX_PATH_SEGMENT_CHARS) {
      return `path segment is longer than ${MAX_PATH_SEGMENT_CHARS} characters`;
    }
    const problem = unstorableText(segment);
    if (problem) return `path ${problem}`;
  }
  return undefined;
}

/** The query parser turns invalid UTF-8 into U+FFFD silently; refuse it instead. */
function rawQueryProblem(rawQuery: string): string | undefined {
  for (const part of rawQuery.split(/[&=]/)) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return 'query is not valid percent-encoded UTF-8';
    }
  }
  return undefined;
}

function valueProblem(value: unknown, where: string, maxChars: number): string | undefined {
  if (typeof value === 'string') {
    if (value.length > maxChars) return `${where} is longer than ${maxChars} characters`;
    const problem = unstorableText(value);
    return problem ? `${where} ${problem}` : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = valueProblem(item, `${where}.${index}`, maxChars);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) return `${where} has a field name that ${keyProblem}`;
      const problem = valueProblem(item, `${where}.${key}`, maxChars);
      if (problem) return problem;
    }
  }
  return undefined;
}
