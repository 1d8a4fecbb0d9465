import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedRequest } from './api-auth.middleware';

/** The name of whoever called this `/api` route (set by `ApiAuthMiddleware`). */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('@Actor() used outside /api: no authenticated actor');
  return actor;
});
