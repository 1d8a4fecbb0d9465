import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { AuthModule } from '../auth/auth.module';
import { ConsoleModule } from '../console/console.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { InstancesModule } from '../instances/instances.module';
import { JournalModule } from '../journal/journal.module';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { NotificationsModule } from '../notifications/notifications.module';
import { SERVICE_NAME } from './service-name';

@Module({
  imports: [
    ServicePlatformModule.forRoot({
      service: SERVICE_NAME,
      defaultPort: 3000,
      migrationsFolder: MIGRATIONS_FOLDER,
      // Ops handles no domain events: it consumes its own queues through QueueProcessors.
      consumesEvents: false,
    }),
    AuthModule,
    ConsoleModule,
    DeadLettersModule,
    JournalModule,
    InstancesModule,
    NotificationsModule,
  ],
})
export class AppModule {}
