import { z } from 'zod';
import { EventCatalog, EventType } from './catalog';
import { publishedVersions } from './event-versions';
import { JsonSchema } from './schema-compatibility';

/** Where each published version's schema is committed: libs/contracts/schemas/<file>. */
export function eventSchemaFileName(eventType: EventType, version: number): string {
  return `${eventType}.v${version}.json`;
}

/**
 * The JSON Schema of one version of an event's payload (the envelope's `data`), generated from
 * its zod schema. `io: 'input'` describes what a consumer accepts: unknown fields are allowed,
 * as the tolerant reader allows them. Refinements zod cannot express in JSON Schema (each sku
 * once per order) are checked by consumers all the same.
 */
export function eventJsonSchema(
  eventType: EventType,
  version: number,
  /** draft-7 for documents whose tools read no later draft (AsyncAPI 3). */
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): JsonSchema {
  const published = publishedVersions(eventType).find((entry) => entry.version === version);
  if (!published) throw new Error(`${eventType} has no version ${version}`);
  const { routingKey, source } = EventCatalog[eventType];
  const { $schema, ...schema } = z.toJSONSchema(published.schema, {
    io: 'input',
    target,
  }) as JsonSchema;
  return {
    $schema,
    title: `${eventType} v${version}`,
    description: `The data of ${eventType} version ${version}: routing key ${routingKey} on shop.events, published by ${source}.`,
    ...schema,
  };
}
