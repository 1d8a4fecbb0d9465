import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { annotateRequest, ShopAttributes } from '@shop/tracing';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ListOrdersQuery } from './list-orders.query';
import { OrderPageResponse, OrderResponse } from './order.response';
import { orderPageView, orderView } from './order.view';
import { OrdersService } from './orders.service';
import { PlaceOrderDto } from './place-order.dto';

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** Prices the items and places the order `PENDING`; the saga decides the rest. */
  @Post()
  @HttpCode(201)
  // Per client address (ORDERS_RATE_LIMIT_PER_MINUTE): 429 with Retry-After beyond it.
  @UseGuards(ThrottlerGuard)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key returns the first order',
  })
  @ApiCreatedResponse({
    type: OrderResponse,
    headers: {
      Location: { description: '/orders/<orderId>', schema: { type: 'string' } },
      'Idempotent-Replayed': {
        description:
          'With an Idempotency-Key: true when an earlier request with that key placed this order',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'invalid body, unknown sku, or mixed currencies' })
  @ApiUnprocessableEntityResponse({
    description: 'the Idempotency-Key was used before with a different body',
  })
  @ApiTooManyRequestsResponse({
    description: 'over ORDERS_RATE_LIMIT_PER_MINUTE for this client; see Retry-After',
  })
  @ApiServiceUnavailableResponse({ description: 'the database is unavailable; retry' })
  async place(
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderResponse> {
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    ) {
      throw new BadRequestException([
        `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      ]);
    }
    // pino-http gave the request an id (from X-Correlation-Id when sent): it becomes the saga's correlationId.
    const correlationId = (request as Request & { id?: string }).id ?? randomUUID();
    annotateRequest({ [ShopAttributes.correlationId]: correlationId });
    const { order: placed, replayed } = await this.orders.placeOrder(body, {
      idempotencyKey,
      correlationId,
    });
    annotateRequest({ [ShopAttributes.orderId]: placed.order.id });
    response.setHeader('Location', `/orders/${placed.order.id}`);
    if (idempotencyKey) response.setHeader('Idempotent-Replayed', String(replayed));
    return orderView(placed);
  }

  /** The order with its saga's history. */
  @Get(':orderId')
  @ApiBadRequestResponse({ description: 'orderId is not a UUID' })
  @ApiNotFoundResponse({ description: 'no such order' })
  async get(
    @Param('orderId', new ParseUUIDPipe({ version: undefined })) orderId: string,
    @Req() request: Request,
  ): Promise<OrderResponse> {
    // This request's own correlation id (X-Correlation-Id), and the order it asks about.
    annotateRequest({
      [ShopAttributes.orderId]: orderId,
      ...(typeof (request as Request & { id?: unknown }).id === 'string' && {
        [ShopAttributes.correlationId]: (request as Request & { id: string }).id,
      }),
    });
    const order = await this.orders.getOrder(orderId);
    if (!order) throw new NotFoundException(`order ${orderId} not found`);
    return orderView(order);
  }

  /** Newest first, filtered by status and customer. */
  @Get()
  @ApiBadRequestResponse({ description: 'a filter or the page is out of bounds' })
  async list(@Query() query: ListOrdersQuery): Promise<OrderPageResponse> {
    return orderPageView(await this.orders.listOrders(query));
  }
}
