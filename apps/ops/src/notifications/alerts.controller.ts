import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, SchemaObject } from '@nestjs/swagger';
import { DATABASE, Database } from '@shop/persistence';
import { z } from 'zod';
import { OpsApi } from '../auth/ops-api.decorator';
import { alertMessage } from './notification-messages';
import { notifications } from './notification.schema';
import { notificationsConfig, NotificationsConfig } from './notifications.config';

const labels = z.record(z.string(), z.string());

/** Alertmanager's webhook body (version 4); fields ops does not use are allowed and ignored. */
const alertmanagerPayloadSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels,
        annotations: labels.default({}),
        startsAt: z.string(),
        endsAt: z.string().optional(),
      }),
    )
    .min(1),
  groupLabels: labels.default({}),
  commonLabels: labels.default({}),
  externalURL: z.string().optional(),
});

/**
 * `POST /api/alerts`: Alertmanager's webhook receiver (monitoring/alertmanager.yml). Each call
 * (one alert group) becomes one message through the same outbox and sender as the dead letters.
 */
@OpsApi()
@Controller('api/alerts')
export class AlertsController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
  ) {}

  @Post()
  @HttpCode(202)
  // The body is checked by zod, not by a DTO: its schema is the zod schema's.
  @ApiBody({
    schema: z.toJSONSchema(alertmanagerPayloadSchema, {
      target: 'openapi-3.0',
      io: 'input',
    }) as SchemaObject,
  })
  @ApiBadRequestResponse({ description: 'not an Alertmanager webhook body' })
  @ApiAcceptedResponse({
    description: 'turned into one message; `notificationId` is null without OPS_WEBHOOK_URL',
    schema: {
      type: 'object',
      properties: { notificationId: { type: 'string', format: 'uuid', nullable: true } },
      required: ['notificationId'],
    },
  })
  async receive(@Body() body: unknown): Promise<{ notificationId: string | null }> {
    const parsed = alertmanagerPayloadSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
      );
    }
    // Accepted either way, so Alertmanager does not retry a message nobody will send.
    if (!this.config.OPS_WEBHOOK_URL) return { notificationId: null };
    const [row] = await this.db
      .insert(notifications)
      .values({ kind: 'alert', message: alertMessage(parsed.data) })
      .returning({ id: notifications.id });
    return { notificationId: row.id };
  }
}
