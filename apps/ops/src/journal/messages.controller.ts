import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiQuery } from '@nestjs/swagger';
import { OpsApi } from '../auth/ops-api.decorator';
import { SagaKey, SagaQuery } from './saga-query';
import { TimelineResponse } from './timeline.response';

/** `GET /api/messages`: one saga's events in causal order, what each consumer did, its dead letters. */
@OpsApi()
@Controller('api/messages')
export class MessagesController {
  constructor(private readonly sagas: SagaQuery) {}

  @Get()
  @ApiQuery({ name: 'orderId', required: false, description: 'one of the three is required' })
  @ApiQuery({ name: 'correlationId', required: false })
  @ApiQuery({ name: 'eventId', required: false })
  @ApiBadRequestResponse({ description: 'none of orderId, correlationId, eventId' })
  async list(
    @Query('orderId') orderId?: string,
    @Query('correlationId') correlationId?: string,
    @Query('eventId') eventId?: string,
  ): Promise<TimelineResponse> {
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
