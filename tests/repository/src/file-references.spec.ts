import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findReferences, referenceExists } from './file-references';
import { REPOSITORY_ROOT } from './repository-files';

// The fixture stands for a markdown file in tests/repository/src/fixtures.
const fixtureFile = 'tests/repository/src/fixtures/broken-references.md';
const fixture = readFileSync(join(__dirname, 'fixtures', 'broken-references.txt'), 'utf8');

describe('findReferences', () => {
  it('finds repo paths, bare markdown files and markdown links, and nothing else', () => {
    expect(findReferences(fixture, { markdown: true })).toEqual([
      { kind: 'markdown-file', text: 'NOTES.md', line: 2 },
      { kind: 'repo-path', text: 'libs/rmq/src/lib/topology.ts', line: 3 },
      { kind: 'repo-path', text: 'libs/rmq/src/lib/gone.ts', line: 3 },
      { kind: 'markdown-link', text: '../../../../docs/reliability.md', line: 4 },
      { kind: 'markdown-link', text: 'lost.md', line: 4 },
    ]);
  });

  it('reads markdown links only in markdown files', () => {
    const kinds = findReferences(fixture, { markdown: false }).map((reference) => reference.kind);
    expect(kinds).not.toContain('markdown-link');
    // Outside markdown, a link's target is just text: the bare lost.md is still checked.
    expect(findReferences('[a lost page](lost.md)', { markdown: false })).toEqual([
      { kind: 'markdown-file', text: 'lost.md', line: 1 },
    ]);
  });
});

describe('referenceExists', () => {
  const exists = (text: string) =>
    findReferences(text, { markdown: true }).map((reference) =>
      referenceExists(REPOSITORY_ROOT, fixtureFile, reference),
    );

  it('resolves repo paths from the root', () => {
    expect(exists('libs/rmq/src/lib/topology.ts libs/rmq/src/lib/gone.ts')).toEqual([true, false]);
  });

  it('resolves a bare markdown file beside the file or at the root', () => {
    expect(exists('README.md NOTES.md')).toEqual([true, false]);
  });

  it('resolves links from the linking file, never outside the repository', () => {
    expect(exists('[ok](../../../../docs/reliability.md) [out](../../../../../etc/hosts)')).toEqual(
      [true, false],
    );
  });
});
