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
import { ThrottlerGuard } from '@nestjs/throttler';
import { annotateRequest, ShopAttributes } from '@shop/tracing';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ListOrdersQuery } from './list-orders.query';
import { orderPageView, orderView } from './order.view';
import { OrdersService } from './orders.service';
import { PlaceOrderDto } from './place-order.dto';

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  // Per client address (ORDERS_RATE_LIMIT_PER_MINUTE): 429 with Retry-After beyond it.
  @UseGuards(ThrottlerGuard)
  async place(
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
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

  @Get(':orderId')
  async get(
    @Param('orderId', new ParseUUIDPipe({ version: undefined })) orderId: string,
    @Req() request: Request,
  ) {
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

  @Get()
  async list(@Query() query: ListOrdersQuery) {
    return orderPageView(await this.orders.listOrders(query));
  }
}
