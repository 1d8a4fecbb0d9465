import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { SagaKey, SagaQuery } from './saga-query';

/** `GET /api/messages`: one saga's events in causal order, what each consumer did, its dead letters. */
@Controller('api/messages')
export class MessagesController {
  constructor(private readonly sagas: SagaQuery) {}

  @Get()
  async list(
    @Query('orderId') orderId?: string,
    @Query('correlationId') correlationId?: string,
    @Query('eventId') eventId?: string,
  ) {
    const key: SagaKey | undefined = orderId
      ? { by: 'orderId', value: orderId }
      : correlationId
        ? { by: 'correlationId', value: correlationId }
        : eventId
          ? { by: 'eventId', value: eventId }
          : undefined;
    if (!key) {
      throw new BadRequestException('give one of orderId, correlationId or eventId');
    }
    return { items: await this.sagas.timeline(key) };
  }
}
