import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { findReferences, referenceExists } from './file-references';
import { REPOSITORY_ROOT, repositoryFiles } from './repository-files';

/** What a fork gets and reads: the code, its comments and its documents. */
const SCANNED_FOLDERS = ['apps', 'libs', 'tools', 'tests', 'docs', 'monitoring'];
const SCANNED_EXTENSIONS = ['.ts', '.mjs', '.js', '.md', '.yml'];
/** The checker and its tests quote broken references on purpose, as examples. */
const QUOTES_BROKEN_REFERENCES = [
  'tests/repository/src/file-references.ts',
  'tests/repository/src/file-references.spec.ts',
];

describe('references to files in comments and documents', () => {
  it('name files that exist', () => {
    const files = [
      'README.md',
      ...repositoryFiles(REPOSITORY_ROOT, SCANNED_FOLDERS, SCANNED_EXTENSIONS),
    ].filter((file) => !QUOTES_BROKEN_REFERENCES.includes(file));
    const broken = files.flatMap((file) => {
      const text = readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
      return findReferences(text, { markdown: extname(file) === '.md' })
        .filter((reference) => !referenceExists(REPOSITORY_ROOT, file, reference))
        .map((reference) => `${file}:${reference.line}: ${reference.text} (${reference.kind})`);
    });
    // Each line says where the reference is; point it at docs/architecture.md or a real file.
    expect(broken).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });
});
