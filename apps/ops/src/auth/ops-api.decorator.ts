import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';

/**
 * Documents a controller under `/api`: it wants `Authorization: Bearer <token>`, and answers
 * 401 without a valid one. Documentation only: ApiAuthMiddleware guards every `/api` path,
 * whether its controller says so or not.
 */
export function OpsApi(): ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'no bearer token, or not one of OPS_TOKEN / OPS_TOKENS',
    }),
  );
}
