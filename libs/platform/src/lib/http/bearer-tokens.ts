import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who an `Authorization: Bearer <token>` header belongs to, for ops' `/api` and every
 * service's `/admin/faults` alike. Tokens are compared in constant time (as SHA-256 digests,
 * so lengths never leak), and every token is compared, so the time taken does not say which
 * one was close.
 */
export class BearerTokens {
  private readonly digests: Array<{ actor: string; digest: Buffer }>;

  constructor(credentials: Array<{ actor: string; token: string }>) {
    this.digests = credentials.map(({ actor, token }) => ({ actor, digest: sha256(token) }));
  }

  /** Whose token an `Authorization` header carries, if anybody's. */
  check(authorization: string | undefined): TokenCheck {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (presented === undefined) return { outcome: 'missing' };
    const digest = sha256(presented);
    let actor: string | undefined;
    for (const credential of this.digests) {
      if (timingSafeEqual(credential.digest, digest)) actor ??= credential.actor;
    }
    return actor === undefined ? { outcome: 'invalid' } : { outcome: 'known', actor };
  }
}

/** `missing`: no bearer token at all; `invalid`: a token nobody has. */
export type TokenCheck =
  | { outcome: 'known'; actor: string }
  | { outcome: 'missing' }
  | { outcome: 'invalid' };

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
