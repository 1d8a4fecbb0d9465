import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns every unknown error into "Internal server error". The event
 * server needs the real error, so `@OnEvent` puts this filter on every handler: it hands the
 * error on untouched.
 */
@Catch()
export class EventErrorPassthroughFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
