/**
 * Measuring, wrapping, cutting and padding terminal text by the columns it
 * occupies, not by its length: CJK and emoji take two columns, escape codes
 * none. `string-width` and `wrap-ansi` do the measuring.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const TAB_STOP = 4;

/**
 * Input made safe to print: CRLF to LF, tabs expanded to spaces (terminals
 * and `string-width` disagree on a tab's width), and control characters
 * removed. Removing ESC and the C1 controls matters: text from a model or a
 * file must not move the cursor or restyle the terminal, and it is what makes
 * `color: false` output free of escape codes whatever the input held.
 */
export function sanitize(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines
    .map((line) => stripControls(expandTabs(line)))
    .join('\n');
}

/**
 * `text` without control characters other than the line feed. Applied to
 * every piece of text taken from a token too, because the lexer decodes
 * numeric character references: `&#27;` in the input arrives as an ESC.
 */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const part of line.split(/(\t)/)) {
    const add = part === '\t' ? ' '.repeat(TAB_STOP - (column % TAB_STOP)) : part;
    out += add;
    column += part === '\t' ? add.length : stringWidth(part);
  }
  return out;
}

export const width = (text: string): number => stringWidth(text);

/** Prose wrapped at word boundaries; words longer than `columns` are broken. */
export function wrapWords(text: string, columns: number): string[] {
  return wrapAnsi(text, Math.max(1, columns), { hard: true }).split('\n');
}

/** Hard-wrapped at exactly `columns`, keeping spaces: for code, where words mean nothing. */
export function wrapHard(text: string, columns: number): string[] {
  return wrapAnsi(text, Math.max(1, columns), { hard: true, wordWrap: false, trim: false }).split('\n');
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Plain (unstyled) text cut to `columns`, ending in `…` when something was cut. */
export function truncate(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  if (columns <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > columns - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

export type Align = 'left' | 'right' | 'center';

/** Styled or plain text padded with spaces to `columns`. */
export function pad(text: string, columns: number, align: Align = 'left'): string {
  const gap = Math.max(0, columns - stringWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + text + ' '.repeat(gap - left);
  }
  return text + ' '.repeat(gap);
}

/** The first line gets `first`, the rest an indent of the same width: list markers, quote bars. */
export function prefixLines(lines: readonly string[], first: string, rest: string): string[] {
  // Blank lines get the prefix without its trailing spaces: no invisible padding.
  return lines.map((line, i) => {
    const prefix = i === 0 ? first : rest;
    return line === '' ? prefix.trimEnd() : prefix + line;
  });
}
