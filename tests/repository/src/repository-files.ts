import { readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

/** The repository root, from this file (tests/repository/src). */
export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');

/** Folders never read: installed, generated or machine-local. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'tmp', 'coverage', 'out-tsc']);

/**
 * Every file under `folders` (relative to the root) whose extension is one of `extensions`,
 * as root-relative paths with `/`. Hidden folders (`.nx`, `.git`) are skipped, so are the
 * folders above; the file system is read, not git, so a new file is checked before its commit.
 */
export function repositoryFiles(root: string, folders: string[], extensions: string[]): string[] {
  const files: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(path);
      } else if (extensions.includes(extname(entry.name))) {
        files.push(relative(root, path).split('\\').join('/'));
      }
    }
  };
  folders.forEach((folder) => visit(join(root, folder)));
  return files.sort();
}
