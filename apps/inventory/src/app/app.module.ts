import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@shop/platform';
import { MIGRATIONS_FOLDER } from '../migrations-folder';
import { SERVICE_NAME } from './service-name';

@Module({
  imports: [
    ServicePlatformModule.forRoot({
      service: SERVICE_NAME,
      defaultPort: 3003,
      migrationsFolder: MIGRATIONS_FOLDER,
    }),
  ],
  controllers: [],
  providers: [],
})
export class AppModule {}
