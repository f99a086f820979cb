/**
 * Where the cursor may stand in a line and where words begin and end. The
 * cursor moves by grapheme (what the user sees as one character: `é` as
 * e + accent, a flag, a ZWJ family emoji), never into the middle of one, and
 * a paste placeholder counts as a single unit so it can only be moved over
 * or deleted whole.
 *
 * Offsets are UTF-16 indices into the line, as JavaScript strings count.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Every occurrence of each of `atoms` in `line`, sorted; these move and delete as one unit. */
export function atomicSpans(line: string, atoms: Iterable<string>): Span[] {
  const spans: Span[] = [];
  for (const atom of atoms) {
    if (!atom) continue;
    for (let at = line.indexOf(atom); at >= 0; at = line.indexOf(atom, at + atom.length)) {
      spans.push({ start: at, end: at + atom.length });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

function inside(offset: number, spans: readonly Span[]): boolean {
  return spans.some((span) => offset > span.start && offset < span.end);
}

/** Cursor stops of `line`: 0, every grapheme boundary outside an atomic span, and the line's end. */
export function cursorStops(line: string, atomic: readonly Span[] = []): number[] {
  const stops: number[] = [];
  for (const { index } of graphemes.segment(line)) if (!inside(index, atomic)) stops.push(index);
  stops.push(line.length);
  return stops;
}

/** The stop before `col` (0 stays 0). */
export function previousStop(line: string, col: number, atomic: readonly Span[] = []): number {
  let best = 0;
  for (const stop of cursorStops(line, atomic)) {
    if (stop >= col) break;
    best = stop;
  }
  return best;
}

/** The stop after `col` (the line's end stays there). */
export function nextStop(line: string, col: number, atomic: readonly Span[] = []): number {
  return cursorStops(line, atomic).find((stop) => stop > col) ?? line.length;
}

/**
 * The words of `line`: what `Intl.Segmenter` calls word-like (it knows CJK
 * has no spaces), with each atomic span as one word of its own.
 */
function wordSpans(line: string, atomic: readonly Span[]): Span[] {
  const spans: Span[] = [...atomic];
  for (const { index, segment, isWordLike } of words.segment(line)) {
    const span = { start: index, end: index + segment.length };
    if (isWordLike && !atomic.some((a) => span.start < a.end && span.end > a.start)) spans.push(span);
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Start of the word the cursor is in or after (Ctrl+Left, Ctrl+W); 0 when there is none. */
export function previousWordStart(line: string, col: number, atomic: readonly Span[] = []): number {
  let best = 0;
  for (const span of wordSpans(line, atomic)) {
    if (span.start >= col) break;
    best = span.start;
  }
  return best;
}

/** End of the word the cursor is in or before (Ctrl+Right); the line's end when there is none. */
export function nextWordEnd(line: string, col: number, atomic: readonly Span[] = []): number {
  return wordSpans(line, atomic).find((span) => span.end > col)?.end ?? line.length;
}
