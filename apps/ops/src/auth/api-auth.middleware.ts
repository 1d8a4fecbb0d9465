import { Inject, Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { opsAuthConfig, OpsAuthConfig } from './ops-auth.config';

/** Where the middleware puts the authenticated actor's name; read it with `@Actor()`. */
export interface AuthenticatedRequest extends Request {
  actor?: string;
}

/**
 * Guards everything under `/api`, before routing: a new route is protected without anyone
 * having to remember it, and a path that does not exist answers 401 too, so probing reveals
 * nothing. Tokens are compared in constant time (as SHA-256 digests, so lengths never leak),
 * and every token is compared, so the time taken does not say which one was close.
 */
@Injectable()
export class ApiAuthMiddleware implements NestMiddleware {
  private readonly digests: Array<{ actor: string; digest: Buffer }>;

  constructor(@Inject(opsAuthConfig.KEY) config: OpsAuthConfig) {
    this.digests = config.credentials.map(({ actor, token }) => ({ actor, digest: sha256(token) }));
  }

  use(request: AuthenticatedRequest, _response: Response, next: NextFunction): void {
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) {
      throw new UnauthorizedException('Authorization: Bearer <token> is required for /api');
    }
    const digest = sha256(presented);
    let actor: string | undefined;
    for (const credential of this.digests) {
      if (timingSafeEqual(credential.digest, digest)) actor ??= credential.actor;
    }
    if (actor === undefined) throw new UnauthorizedException('invalid token');
    request.actor = actor;
    next();
  }
}

function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
