import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AlertsController } from './alerts.controller';
import { DeadLetterNotifications } from './dead-letter-notifications';
import { NotificationSender } from './notification-sender';
import { notificationsConfig } from './notifications.config';
import { RuleChecker } from './rule-checker';

/**
 * Tells people through OPS_WEBHOOK_URL: dead letters (one message per failure group and
 * window), business rules over the journal, and Alertmanager's alerts. One outbox table
 * (`notifications`), one sender with retries.
 */
@Module({
  imports: [ConfigModule.forFeature(notificationsConfig)],
  controllers: [AlertsController],
  providers: [DeadLetterNotifications, NotificationSender, RuleChecker],
  exports: [DeadLetterNotifications],
})
export class NotificationsModule {}
