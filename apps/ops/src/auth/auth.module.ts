import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ApiAuthMiddleware } from './api-auth.middleware';
import { opsAuthConfig } from './ops-auth.config';

/**
 * Token auth for everything under `/api`, with the caller's actor name on the request.
 * `GET /`, `/health/*` and `/metrics` stay open (the console asks for the token itself).
 */
@Module({
  imports: [ConfigModule.forFeature(opsAuthConfig)],
  providers: [ApiAuthMiddleware],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ApiAuthMiddleware)
      .forRoutes(
        { path: 'api', method: RequestMethod.ALL },
        { path: 'api/*path', method: RequestMethod.ALL },
      );
  }
}
