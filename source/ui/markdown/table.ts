/**
 * A GFM table drawn with box-drawing borders, columns sized by the terminal
 * columns their cells occupy (a CJK character or emoji takes two). When the
 * table is wider than the terminal, wide columns give up width first and
 * their cells wrap; when even that can't fit, each row becomes a small
 * "header: value" record instead.
 */
import type { Tokens } from 'marked';
import { paint } from './ansi.js';
import type { Context } from './context.js';
import { renderInline } from './inline.js';
import { type Align, pad, width, wrapWords } from './text.js';

/** Narrowest column worth drawing; below it the record layout reads better. */
const MIN_COLUMN = 3;

export function renderTable(token: Tokens.Table, ctx: Context, columns: number): string[] {
  const header = token.header.map((cell) => paint(renderInline(cell.tokens, ctx), ctx.theme.tableHeader, ctx.color));
  const rows = token.rows.map((row) => header.map((_, i) => renderInline(row[i]?.tokens, ctx)));
  const aligns: Align[] = header.map((_, i) => token.align[i] ?? 'left');
  const count = header.length;
  if (count === 0) return [];
  // "│ " before each cell, " │" after the last: 3 per column plus 1.
  const available = columns - (3 * count + 1);
  if (available < count * MIN_COLUMN) return renderRecords(header, rows, columns);

  const natural = header.map((_, i) => Math.max(1, ...[header[i] ?? '', ...rows.map((row) => row[i] ?? '')].flatMap((cell) => cell.split('\n').map(width))));
  const widths = fitColumns(natural, available);
  const border = (left: string, join: string, right: string) =>
    paint(left + widths.map((w) => '─'.repeat(w + 2)).join(join) + right, ctx.theme.tableBorder, ctx.color);
  const line = (cells: string[]) => drawRow(cells, widths, aligns, ctx);

  return [border('┌', '┬', '┐'), ...line(header), border('├', '┼', '┤'), ...rows.flatMap(line), border('└', '┴', '┘')];
}

/**
 * Column widths summing to at most `available`. Columns are served narrowest
 * first, each taking its natural width or an equal share of what is left,
 * whichever is less, so narrow columns stay whole and wide ones split the rest.
 */
export function fitColumns(natural: readonly number[], available: number): number[] {
  if (natural.reduce((a, b) => a + b, 0) <= available) return [...natural];
  const widths = natural.map(() => 0);
  const order = natural.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  let remaining = available;
  order.forEach(([want, column], served) => {
    const share = Math.floor(remaining / (order.length - served));
    const given = Math.max(1, Math.min(want, share));
    widths[column] = given;
    remaining -= given;
  });
  return widths;
}

/** One table row, as many terminal lines as its tallest wrapped cell. */
function drawRow(cells: string[], widths: number[], aligns: Align[], ctx: Context): string[] {
  const wrapped = widths.map((w, i) => (cells[i] ?? '').split('\n').flatMap((part) => wrapWords(part, w)));
  const height = Math.max(...wrapped.map((lines) => lines.length));
  const bar = paint('│', ctx.theme.tableBorder, ctx.color);
  const out: string[] = [];
  for (let row = 0; row < height; row++) {
    const parts = widths.map((w, i) => pad(wrapped[i]?.[row] ?? '', w, aligns[i]));
    out.push(`${bar} ${parts.join(` ${bar} `)} ${bar}`);
  }
  return out;
}

/** The too-narrow layout: each row as "header: value" lines, rows separated by a blank line. */
function renderRecords(header: string[], rows: string[][], columns: number): string[] {
  return rows.flatMap((row, r) => [
    ...(r > 0 ? [''] : []),
    ...header.flatMap((name, i) => wrapWords(`${name}: ${(row[i] ?? '').replaceAll('\n', ' ')}`, columns)),
  ]);
}
