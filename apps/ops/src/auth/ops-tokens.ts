/** Who may use `/api`: a token and the actor name recorded in history and audit. */
export interface OpsCredential {
  actor: string;
  token: string;
}

/** Long enough that guessing is out of the question; `npm start` generates 32 bytes. */
export const MIN_TOKEN_LENGTH = 16;

/** The actor of the single shared `OPS_TOKEN`. */
export const SHARED_TOKEN_ACTOR = 'operator';

const ACTOR_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export type TokensParse =
  | { outcome: 'parsed'; credentials: OpsCredential[] }
  | { outcome: 'invalid'; problem: string };

/** Parses `OPS_TOKENS=alice:<token>,bob:<token>`. */
export function parseOpsTokens(value: string): TokensParse {
  const credentials: OpsCredential[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const separator = entry.indexOf(':');
    const actor = entry.slice(0, Math.max(separator, 0));
    const token = entry.slice(separator + 1);
    if (separator <= 0 || !ACTOR_NAME.test(actor)) {
      return invalid(
        `expected name:token pairs separated by commas (names: letters, digits, . _ -)`,
      );
    }
    const problem = tokenProblem(token);
    if (problem) return invalid(`${actor}'s token ${problem}`);
    if (credentials.some((known) => known.actor === actor))
      return invalid(`${actor} appears twice`);
    credentials.push({ actor, token });
  }
  return { outcome: 'parsed', credentials };
}

/** Why a token is refused, or undefined when it is acceptable. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) return `must be at least ${MIN_TOKEN_LENGTH} characters`;
  if (/\s|,/.test(token)) return 'must not contain spaces or commas';
  return undefined;
}

function invalid(problem: string): TokensParse {
  return { outcome: 'invalid', problem };
}
