import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * A mention of a file in a comment or a document, and where it was found. The rule that keeps
 * false positives out: only three shapes count as a reference, and each resolves one way.
 *
 * - `repo-path`: a path that starts with a top-level folder of the repository and ends with a
 *   file extension (`docs/reliability.md`, `libs/rmq/src/lib/topology.ts`); it is resolved
 *   from the repository root. Placeholders (`apps/<service>/…`, `${service}`, `*.ts`) never
 *   match, because `<`, `$`, `*` and `…` cannot be part of one.
 * - `markdown-file`: a bare `NAME.md` with no folder (`README.md`, `reliability.md`); it must
 *   exist beside the file that mentions it or at the repository root.
 * - `markdown-link`: in a `.md` file, a link `[text](target)` whose target is not a URL or an
 *   anchor; it is resolved from the linking file's folder, as a browser would.
 */
export interface FileReference {
  kind: 'repo-path' | 'markdown-file' | 'markdown-link';
  /** The text as written, e.g. `docs/architecture.md`. */
  text: string;
  /** 1-based line of the mention. */
  line: number;
}

/** The top-level folders a repo-path starts with. */
export const TOP_LEVEL_FOLDERS = ['apps', 'libs', 'tools', 'tests', 'docs', 'monitoring', 'config'];

const PATH_CHARS = String.raw`[\w.-]`;
// Not preceded by a path character, so `dist/apps/orders/main.js` is not read as `apps/…`.
const REPO_PATH = new RegExp(
  String.raw`(?<![\w./@-])(?:${TOP_LEVEL_FOLDERS.join('|')})(?:/${PATH_CHARS}+)+\.[a-z]{1,5}(?![\w/-])`,
  'g',
);
const MARKDOWN_FILE = /(?<![\w./@-])[\w-]+\.md(?![\w/-])/g;
const MARKDOWN_LINK = /\[[^\]\n]*\]\(([^)\s]+)\)/g;
/** `https:`, `mailto:` and the like: somebody else's file. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Every reference in one file's text; `markdown` turns on the link shape. */
export function findReferences(text: string, options: { markdown: boolean }): FileReference[] {
  const references: FileReference[] = [];
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    const links = options.markdown ? [...content.matchAll(MARKDOWN_LINK)] : [];
    for (const link of links) {
      const target = link[1].split('#')[0].split('?')[0];
      if (target === '' || URL_SCHEME.test(target)) continue;
      references.push({ kind: 'markdown-link', text: target, line });
    }
    // A link's target is checked once, as a link, relative to the file.
    const prose = links.reduce((rest, link) => rest.replace(link[0], ''), content);
    for (const [text] of prose.matchAll(REPO_PATH)) {
      references.push({ kind: 'repo-path', text, line });
    }
    for (const [text] of prose.matchAll(MARKDOWN_FILE)) {
      references.push({ kind: 'markdown-file', text, line });
    }
  });
  return references;
}

/** Whether a reference found in `file` (relative to `root`) names a file or folder that exists. */
export function referenceExists(root: string, file: string, reference: FileReference): boolean {
  switch (reference.kind) {
    case 'repo-path':
      return existsSync(join(root, reference.text));
    case 'markdown-file':
      return (
        existsSync(join(root, dirname(file), reference.text)) ||
        existsSync(join(root, reference.text))
      );
    case 'markdown-link': {
      const target = reference.text.startsWith('/')
        ? join(root, reference.text)
        : join(root, dirname(file), reference.text);
      return normalize(target).startsWith(normalize(root)) && existsSync(target);
    }
  }
}
