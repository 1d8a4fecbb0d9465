import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPES } from './catalog';
import { eventJsonSchema, eventSchemaFileName } from './event-json-schemas';
import { publishedVersions } from './event-versions';
import { breakingChanges, JsonSchema } from './schema-compatibility';

/** Each published version's JSON Schema, committed when it was published (`npm run docs:api`). */
const SCHEMAS = join(__dirname, '..', '..', 'schemas');

const published = EVENT_TYPES.flatMap((eventType) =>
  publishedVersions(eventType).map(({ version }) => ({ eventType, version })),
);

describe('published event versions', () => {
  it.each(published)(
    '$eventType v$version still accepts what it accepted when published',
    ({ eventType, version }) => {
      const file = join(SCHEMAS, eventSchemaFileName(eventType, version));
      if (!existsSync(file)) {
        throw new Error(`${file} is missing: run \`npm run docs:api\` to publish the version`);
      }
      const committed = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
      const breaks = breakingChanges(committed, eventJsonSchema(eventType, version));
      // A break here means: keep this version as it was, and make the change a new
      // eventVersion with an upcaster (docs/architecture.md, "Contract evolution").
      expect(breaks).toEqual([]);
    },
  );

  it('are all still read: a version is never dropped while its messages may exist', () => {
    const read = new Set(
      published.map(({ eventType, version }) => eventSchemaFileName(eventType, version)),
    );
    expect(readdirSync(SCHEMAS).filter((name) => !read.has(name))).toEqual([]);
  });
});
