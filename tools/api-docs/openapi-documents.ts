import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { apiDocument } from '@shop/platform';
import { register } from 'prom-client';

type AppModuleFile = { AppModule: Type<unknown> };

/* eslint-disable @nx/enforce-module-boundaries -- a tool may import the apps (apps never import
   apps, nor tools): this one builds each app's module graph to read its routes. */
/**
 * Every service with an HTTP API, and how to load its app module. Loaded one at a time
 * because defining an app module registers Prometheus' default metrics, which one registry
 * takes only once.
 */
export const SERVICE_APP_MODULES: Record<string, () => Promise<AppModuleFile>> = {
  ops: () => import('../../apps/ops/src/app/app.module'),
  orders: () => import('../../apps/orders/src/app/app.module'),
  billing: () => import('../../apps/billing/src/app/app.module'),
  inventory: () => import('../../apps/inventory/src/app/app.module'),
  payments: () => import('../../apps/payments/src/app/app.module'),
};
/* eslint-enable @nx/enforce-module-boundaries */

/**
 * A service's OpenAPI document without its database or broker: in preview mode Nest builds the
 * module graph (controllers, routes, DTOs) and instantiates no provider, so nothing connects.
 */
export async function openApiDocument(service: string): Promise<OpenAPIObject> {
  register.clear();
  const { AppModule } = await SERVICE_APP_MODULES[service]();
  const app = await NestFactory.create(AppModule, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return apiDocument(app, service);
  } finally {
    await app.close();
  }
}
