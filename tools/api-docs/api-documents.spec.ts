import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  apiDocuments,
  GENERATED_FOLDERS,
  GeneratedFile,
  REGENERATE_COMMAND,
  REPOSITORY_ROOT,
} from './api-documents';

describe('the committed API documents', () => {
  let generated: GeneratedFile[];

  beforeAll(async () => {
    // Regenerated in memory from the code: the services' controllers and DTOs, the catalog.
    generated = await apiDocuments();
  }, 180_000);

  it('are what the code generates', () => {
    const outOfDate = generated
      .filter((file) => {
        const path = join(REPOSITORY_ROOT, file.path);
        return !existsSync(path) || readFileSync(path, 'utf8') !== file.content;
      })
      .map((file) => file.path);
    if (outOfDate.length > 0) {
      throw new Error(
        `out of date: ${outOfDate.join(', ')}\nrun \`${REGENERATE_COMMAND}\` and commit the result`,
      );
    }
    expect(generated.map((file) => file.path)).toEqual(
      expect.arrayContaining(['docs/api/asyncapi.json', 'docs/api/orders.openapi.json']),
    );
  });

  it('include nothing that the code no longer generates', () => {
    const expected = new Set(generated.map((file) => file.path));
    const stale = GENERATED_FOLDERS.flatMap((folder) =>
      readdirSync(join(REPOSITORY_ROOT, folder)).map((name) => `${folder}/${name}`),
    ).filter((path) => !expected.has(path));
    // A published event schema is never dropped while a message of it may exist: restore
    // its version in the catalog rather than delete the file.
    expect(stale).toEqual([]);
  });
});
