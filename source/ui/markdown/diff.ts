/**
 * A unified diff (as the `diff` package's `createPatch` writes it) for the
 * terminal: additions and removals coloured, each line numbered in a gutter
 * with its old and new line numbers, worked out from the hunk headers.
 *
 *     --- a.ts
 *     +++ a.ts
 *     @@ -1,3 +1,3 @@
 *     1 1 │  one
 *     2   │ -two
 *       2 │ +2
 *     3 3 │  three
 *
 * The `Index:` and `=====` lines `createPatch` starts with are dropped: the
 * `---`/`+++` headers already name the files. Lines wider than the terminal
 * are cut, not wrapped, so one diff line is always one screen line.
 */
import { paint, type Style } from './ansi.js';
import { defaultTheme, type Theme } from './theme.js';
import { pad, sanitize, truncate, width } from './text.js';

export interface DiffOptions {
  width: number;
  color: boolean;
  /** Show at most this many lines, the last of them saying how many were left out. */
  maxLines?: number;
  theme?: Theme;
}

type Row = HeaderRow | NumberedRow;
interface HeaderRow {
  kind: 'file' | 'hunk' | 'note' | 'other';
  text: string;
}
interface NumberedRow {
  kind: 'add' | 'remove' | 'context';
  text: string;
  old?: number;
  new?: number;
}

const isNumbered = (row: Row): row is NumberedRow => row.kind === 'add' || row.kind === 'remove' || row.kind === 'context';

export function renderDiff(patch: string, options: DiffOptions): string {
  const theme = options.theme ?? defaultTheme;
  const rows = parsePatch(patch);
  const numberWidth = String(Math.max(0, ...rows.map((row) => (isNumbered(row) ? Math.max(row.old ?? 0, row.new ?? 0) : 0)))).length;
  const columns = Math.max(1, Math.floor(options.width));

  const lines = rows.map((row) => formatRow(row, numberWidth, columns, theme, options.color));
  const max = options.maxLines === undefined ? Infinity : Math.max(1, Math.floor(options.maxLines));
  if (lines.length <= max) return lines.join('\n');
  const kept = lines.slice(0, max - 1);
  const hidden = lines.length - kept.length;
  return [...kept, paint(truncate(`… ${hidden} more line${hidden === 1 ? '' : 's'}`, columns), theme.dim, options.color)].join('\n');
}

/**
 * Lines classified and numbered. Inside a hunk the header's line counts say
 * how many lines belong to it; only there does a leading `-`, `+` or space
 * mean removal, addition or context, so a removed line that happens to read
 * `--- x` is not taken for a file header.
 */
function parsePatch(patch: string): Row[] {
  const lines = sanitize(patch).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const rows: Row[] = [];
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of lines) {
    const sign = line[0];
    const text = line.slice(1);
    if (oldLeft > 0 || newLeft > 0) {
      // Some tools strip the space from empty context lines; an empty line in a hunk is context.
      if ((sign === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        rows.push({ kind: 'context', text, old: oldLine++, new: newLine++ });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (sign === '-' && oldLeft > 0) {
        rows.push({ kind: 'remove', text, old: oldLine++ });
        oldLeft--;
        continue;
      }
      if (sign === '+' && newLeft > 0) {
        rows.push({ kind: 'add', text, new: newLine++ });
        newLeft--;
        continue;
      }
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newLine = Number(hunk[3]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      rows.push({ kind: 'hunk', text: line });
    } else if (sign === '\\') {
      rows.push({ kind: 'note', text: line });
    } else if (/^(Index: |={20,}$)/.test(line)) {
      continue;
    } else if (/^(--- |\+\+\+ |diff )/.test(line)) {
      rows.push({ kind: 'file', text: line.trimEnd() });
    } else {
      rows.push({ kind: 'other', text: line });
    }
  }
  return rows;
}

function formatRow(row: Row, numberWidth: number, columns: number, theme: Theme, color: boolean): string {
  const styles: Record<Row['kind'], Style | undefined> = {
    file: theme.diffFile,
    hunk: theme.diffHunk,
    note: theme.dim,
    other: undefined,
    add: theme.diffAdd,
    remove: theme.diffRemove,
    context: undefined,
  };
  if (!isNumbered(row)) return paint(truncate(row.text, columns), styles[row.kind], color);

  const sign = row.kind === 'add' ? '+' : row.kind === 'remove' ? '-' : ' ';
  const number = (n: number | undefined) => pad(n === undefined ? '' : String(n), numberWidth, 'right');
  const gutter = `${number(row.old)} ${number(row.new)} │ `;
  const body = truncate(sign + row.text, Math.max(1, columns - width(gutter)));
  return paint(gutter, theme.dim, color) + paint(body, styles[row.kind], color);
}
