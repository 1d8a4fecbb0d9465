import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { findUnstorableInput } from './unstorable-input';

/**
 * Refuses, with 400, any request carrying text PostgreSQL would reject (a NUL byte, invalid
 * UTF-8) or an over-long path or query value, before any route sees it. One guard for every
 * route of every service: otherwise each DTO and each param would have to remember it, and a
 * forgotten one answers 500.
 */
export function storableInputGuard(request: Request, response: Response, next: NextFunction) {
  const problem = findUnstorableInput(request);
  if (!problem) {
    next();
    return;
  }
  response.status(HttpStatus.BAD_REQUEST).json({
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: [`${problem}: it cannot be accepted`],
  });
}
