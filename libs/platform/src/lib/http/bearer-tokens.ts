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

  /** The actor, `missing` without a bearer token, `invalid` for an unknown one. */
  actorOf(authorization: string | undefined): string | 'missing' | 'invalid' {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (presented === undefined) return 'missing';
    const digest = sha256(presented);
    let actor: string | undefined;
    for (const credential of this.digests) {
      if (timingSafeEqual(credential.digest, digest)) actor ??= credential.actor;
    }
    return actor ?? 'invalid';
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
