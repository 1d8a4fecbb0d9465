import { ArgumentsHost, Catch, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isConnectionError } from '@shop/persistence';
import type { Response } from 'express';

/**
 * An HTTP request that fails because the database is unreachable gets 503 with Retry-After,
 * not a bare 500: the client should try again (with the same Idempotency-Key), and nothing
 * was written. Every other error goes to Nest's default handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !isConnectionError(exception)) {
      super.catch(exception, host);
      return;
    }
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('Retry-After', '1');
    response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: 'the database is unavailable; retry shortly (nothing was written)',
    });
  }
}
