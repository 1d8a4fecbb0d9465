import { breakingChanges, JsonSchema } from '@shop/contracts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiDocuments, GeneratedFile, REPOSITORY_ROOT } from './api-documents';

// `npm run docs:api` runs this file with jest (tools/api-docs/write.jest.config.cts), so that the
// services are compiled with the swagger plugin exactly as the freshness check compiles them.

/** A published event schema may only change compatibly; anything else needs a new version. */
function refusal(file: GeneratedFile): string[] {
  const path = join(REPOSITORY_ROOT, file.path);
  if (!file.path.startsWith('libs/contracts/schemas/') || !existsSync(path)) return [];
  const published = JSON.parse(readFileSync(path, 'utf8')) as JsonSchema;
  return breakingChanges(published, JSON.parse(file.content) as JsonSchema).map(
    (change) => `${file.path}: ${change}`,
  );
}

it('regenerates docs/api and libs/contracts/schemas from the code', async () => {
  const files = await apiDocuments();
  const refused = files.flatMap(refusal);
  if (refused.length > 0) {
    throw new Error(
      [
        'Not written: these changes would break consumers of a published event version.',
        ...refused,
        'Publish a new eventVersion with an upcaster instead (docs/architecture.md, "Contract evolution").',
        'If the change is deliberate and harms no consumer (a zod upgrade rewrote a pattern, say),',
        'delete the file and run this again: the review will see it.',
      ].join('\n'),
    );
  }
  const written: string[] = [];
  for (const file of files) {
    const path = join(REPOSITORY_ROOT, file.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === file.content) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    written.push(file.path);
  }
  process.stdout.write(
    written.length > 0
      ? `written:\n  ${written.join('\n  ')}\n`
      : 'every document was up to date\n',
  );
  expect(files.length).toBeGreaterThan(0);
}, 300_000);
