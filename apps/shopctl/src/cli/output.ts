import { createColors } from 'picocolors';

/** Colours only when a person is watching: never in a pipe, a file or CI logs. */
export const colors = createColors(Boolean(process.stdout.isTTY) && !process.env['NO_COLOR']);

/** Where a command's results go: human lines, or one JSON document for scripts (`--json`). */
export class Output {
  constructor(readonly json: boolean) {}

  /** The command's result: printed as JSON with `--json`, else through `human`. */
  result<T>(value: T, human: (value: T) => string | string[]): void {
    if (this.json) {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const lines = human(value);
    const text = Array.isArray(lines) ? lines.join('\n') : lines;
    if (text) process.stdout.write(`${text}\n`);
  }

  /** A line as it happens (tail, lab progress): one JSON object per line with `--json`. */
  event(value: unknown, human: string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value)}\n` : `${human}\n`);
  }

  /** Commentary for people; kept off stdout so `--json` output stays parseable. */
  note(line: string): void {
    process.stderr.write(`${colors.dim(line)}\n`);
  }
}

/** Rows as aligned columns. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => stripAnsi(row[column] ?? '').length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : pad(cell, widths?.[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - stripAnsi(cell).length));
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** The first 8 characters of an id: enough to tell events apart on a screen. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '-';
}
