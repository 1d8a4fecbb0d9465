import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { DomainEvent } from '@shop/contracts';
import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import { Observable } from 'rxjs';

/**
 * Gives every log line written while an event is handled the event's ids, the way pino-http
 * does for requests: handlers just log, and the lines carry eventId and correlationId.
 */
@Injectable()
export class EventLogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const event = context.switchToRpc().getData<DomainEvent>();
    const logger = PinoLogger.root?.child({
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
    });
    if (!logger) return next.handle();
    return new Observable((subscriber) =>
      storage.run(new Store(logger), () => next.handle().subscribe(subscriber)),
    );
  }
}
