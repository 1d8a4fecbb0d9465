import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SERVICE_CONFIG, ServiceConfig } from '../service-config';

/** Where a service serves its API explorer outside production; the JSON is at `/docs-json`. */
export const API_DOCS_PATH = 'docs';

/** The scheme `@ApiBearerAuth()` names by default: ops' `/api` wants `Authorization: Bearer <token>`. */
const BEARER_SCHEME = 'bearer';

/**
 * The OpenAPI document of a service's HTTP API, read from its controllers and DTOs (with the
 * swagger compiler plugin's metadata: tools/api-docs/swagger-plugin.js). The same function
 * serves `/docs` and writes docs/api, so the two cannot differ.
 */
export function apiDocument(app: INestApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`${service} API`)
    .setDescription(
      `The HTTP API of the shop's ${service} service. Everything else it does, it does through ` +
        'events on RabbitMQ (docs/api/asyncapi.json); the architecture is in docs/architecture.md.',
    )
    .setVersion('1')
    .build();
  const document = sortedEnums(SwaggerModule.createDocument(app, config));
  // Declared only where a route asks for it, so the four open services show no auth at all.
  return usesScheme(document, BEARER_SCHEME)
    ? {
        ...document,
        components: {
          ...document.components,
          securitySchemes: {
            [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'an OPS_TOKEN' },
          },
        },
      }
    : document;
}

/**
 * `/docs` (and `/docs-json`) outside production: an explorer that sends requests is a
 * development tool, and in production it would only widen what a service exposes.
 */
export function serveApiDocsOutsideProduction(app: INestApplication): void {
  if (process.env['NODE_ENV'] === 'production') return;
  const { SERVICE_NAME } = app.get<ServiceConfig>(SERVICE_CONFIG);
  // Built on the first request, once every route is registered.
  SwaggerModule.setup(API_DOCS_PATH, app, () => apiDocument(app, SERVICE_NAME));
}

/**
 * The plugin lists a union's values (`'PENDING' | 'CONFIRMED'`) in the order the compiler
 * happened to create them, which differs between the build and the generator: sorted, the
 * document is the same whoever compiled it.
 */
function sortedEnums<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedEnums) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === 'enum' && Array.isArray(inner) && inner.every((item) => typeof item === 'string')
        ? [key, [...inner].sort()]
        : [key, sortedEnums(inner)],
    ),
  ) as T;
}

function usesScheme(document: OpenAPIObject, scheme: string): boolean {
  return Object.values(document.paths).some((path) =>
    Object.values(path).some(
      (operation: { security?: Array<Record<string, unknown>> } | undefined) =>
        operation?.security?.some((requirement) => scheme in requirement) ?? false,
    ),
  );
}
