/**
 * The part of a resumed transcript that one screen shows: what `kt resume`
 * puts up first, in the live region, while the whole repaint (up to
 * REPAINT_TURNS) is rendered into the scrollback behind it. Heights are
 * estimated from the text (wrapped at the width, margins as the transcript
 * draws them): close is enough, since the preview lasts one frame and is
 * kept a few lines under the budget the live region has.
 */
import type { NewItem } from './reduce.js';

/** Last lines of a finished command the transcript keeps (as transcript-item.tsx). */
const COMMAND_TAIL = 5;

/** Rows `text` takes wrapped at `width` columns. */
function wrappedRows(text: string, width: number): number {
  const usable = Math.max(1, width);
  return text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / usable)), 0);
}

/** Left indent and top margin of each kind, as the transcript draws it. */
function frame(item: NewItem): { indent: number; margin: number } {
  switch (item.kind) {
    case 'user':
    case 'trigger':
      return { indent: 2, margin: 1 };
    case 'assistant':
      return { indent: 2, margin: 1 };
    default:
      return { indent: 2, margin: 0 };
  }
}

/** Rows an item takes on a screen `columns` wide. */
export function estimateRows(item: NewItem, columns: number): number {
  const { indent, margin } = frame(item);
  switch (item.kind) {
    case 'user':
    case 'assistant':
    case 'info':
      return margin + wrappedRows(item.text, columns - indent);
    case 'tool': {
      if (!item.ok) return 2;
      if (item.name !== 'bash' || item.under.length) return typeof item.metadata?.diff === 'string' ? 17 : 1;
      const lines = item.output.replace(/\n+$/, '').split('\n').length;
      return 1 + Math.min(COMMAND_TAIL + 1, lines);
    }
    case 'subagent':
      return item.text ? 2 : 1;
    case 'trigger': {
      const lines = item.text.split('\n').filter((line) => line.trim()).length;
      return margin + 1 + Math.min(lines, 4);
    }
  }
}

/** The end of a text item that fits in `rows`, or nothing if not even a line does. */
function lastRows(item: NewItem, rows: number, columns: number): NewItem | undefined {
  if (item.kind !== 'user' && item.kind !== 'assistant' && item.kind !== 'info') return undefined;
  const { indent, margin } = frame(item);
  const lines = item.text.split('\n');
  let left = rows - margin;
  let from = lines.length;
  while (from > 0) {
    const needed = wrappedRows(lines[from - 1]!, columns - indent);
    if (needed > left) break;
    left -= needed;
    from--;
  }
  if (from === lines.length) return undefined;
  return { ...item, text: lines.slice(from).join('\n') };
}

/**
 * The last items that fit in `rows` rows at `columns` columns, oldest first.
 * The topmost one that does not fit whole shows its last lines, as the top
 * edge of a scrolled screen would cut it.
 */
export function visibleTail(items: readonly NewItem[], { rows, columns }: { rows: number; columns: number }): NewItem[] {
  const tail: NewItem[] = [];
  let left = rows;
  for (let i = items.length - 1; i >= 0 && left > 0; i--) {
    const item = items[i]!;
    const height = estimateRows(item, columns);
    if (height <= left) {
      tail.unshift(item);
      left -= height;
      continue;
    }
    const cut = lastRows(item, left, columns);
    if (cut) tail.unshift(cut);
    break;
  }
  return tail;
}
