import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TMP = join(__dirname, '..', '..', '..', '..', 'tmp');

/**
 * Prints a whole-system suite's figures (chaos, cluster) and keeps them in
 * `tmp/<name>-results.json`: what a run measured, for the README and the next person.
 */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, `${name}-results.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  const lines = Object.entries(figures).map(
    ([key, value]) =>
      `  ${key.padEnd(34)} ${typeof value === 'object' ? JSON.stringify(value) : value}`,
  );
  process.stdout.write(
    `\n${name} figures (also in tmp/${name}-results.json)\n${lines.join('\n')}\n`,
  );
}
