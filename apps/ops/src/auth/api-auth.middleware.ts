import { Inject, Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BearerTokens } from '@shop/platform';
import { opsAuthConfig, OpsAuthConfig } from './ops-auth.config';

/** Where the middleware puts the authenticated actor's name; read it with `@Actor()`. */
export interface AuthenticatedRequest extends Request {
  actor?: string;
}

/**
 * Guards everything under `/api`, before routing: a new route is protected without anyone
 * having to remember it, and a path that does not exist answers 401 too, so probing reveals
 * nothing. Tokens are matched by `BearerTokens` (libs/platform), as the services' /admin is.
 */
@Injectable()
export class ApiAuthMiddleware implements NestMiddleware {
  private readonly tokens: BearerTokens;

  constructor(@Inject(opsAuthConfig.KEY) config: OpsAuthConfig) {
    this.tokens = new BearerTokens(config.credentials);
  }

  use(request: AuthenticatedRequest, _response: Response, next: NextFunction): void {
    const token = this.tokens.check(request.headers.authorization);
    if (token.outcome === 'missing') {
      throw new UnauthorizedException('Authorization: Bearer <token> is required for /api');
    }
    if (token.outcome === 'invalid') throw new UnauthorizedException('invalid token');
    request.actor = token.actor;
    next();
  }
}
