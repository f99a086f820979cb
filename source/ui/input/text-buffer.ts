/**
 * The prompt being edited: lines, a cursor, and the long pastes standing in
 * it as placeholders. Immutable, changed only through `reduceBuffer`, so the
 * UI can keep it in React state and tests can drive it without a terminal.
 * An action that changes nothing returns the same object.
 *
 * `col` is a UTF-16 offset into the current line that always sits on a
 * cursor stop (see segments.ts); what the terminal shows is
 * `cursorDisplayColumn`, which counts wide CJK and emoji as two columns.
 */
import stringWidth from 'string-width';
import { expandPlaceholders, placeholderFor, shouldCollapse } from './pasted-text.js';
import {
  atomicSpans,
  cursorStops,
  nextStop,
  nextWordEnd,
  previousStop,
  previousWordStart,
  type Span,
} from './segments.js';

export interface TextBuffer {
  readonly lines: readonly string[];
  readonly row: number;
  readonly col: number;
  /** Placeholder → the pasted text it stands for. Kept across `set` (a recalled draft may hold placeholders); emptied by `clear`. */
  readonly pastes: ReadonlyMap<string, string>;
  /** Pastes collapsed so far; numbers placeholders uniquely. */
  readonly pasteCount: number;
  /** The display column up/down aim for, so passing a short line does not lose it; unset by any other action. */
  readonly goalColumn: number | undefined;
}

export type BufferAction =
  | { readonly type: 'insert'; readonly text: string }
  | { readonly type: 'paste'; readonly text: string }
  | { readonly type: 'set'; readonly text: string }
  | {
      readonly type:
        | 'newline'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'home'
        | 'end'
        | 'wordLeft'
        | 'wordRight'
        | 'deleteWordBackward'
        | 'killToEnd'
        | 'killToStart'
        | 'clear';
    };

export type BufferActionType = BufferAction['type'];

/** A tab shows as this many columns; the renderer must draw it the same way (`\t` → spaces). */
export const TAB_WIDTH = 4;

interface Position {
  readonly row: number;
  readonly col: number;
}

export function createBuffer(initial = ''): TextBuffer {
  const lines = clean(initial).split('\n');
  const row = lines.length - 1;
  return { lines, row, col: (lines[row] as string).length, pastes: new Map(), pasteCount: 0, goalColumn: undefined };
}

export function reduceBuffer(buffer: TextBuffer, action: BufferAction): TextBuffer {
  const here = { row: buffer.row, col: buffer.col };
  const line = currentLine(buffer);
  const atoms = atomsOf(buffer, line);
  switch (action.type) {
    case 'insert':
      return action.text ? splice(buffer, here, here, clean(action.text)) : buffer;
    case 'paste':
      return paste(buffer, clean(action.text));
    case 'newline':
      return splice(buffer, here, here, '\n');
    case 'backspace':
      return splice(buffer, before(buffer, atoms), here, '');
    case 'delete':
      return splice(buffer, here, after(buffer, atoms), '');
    case 'left':
      return moveTo(buffer, before(buffer, atoms));
    case 'right':
      return moveTo(buffer, after(buffer, atoms));
    case 'up':
      return vertical(buffer, -1);
    case 'down':
      return vertical(buffer, 1);
    case 'home':
      return moveTo(buffer, { row: buffer.row, col: 0 });
    case 'end':
      return moveTo(buffer, { row: buffer.row, col: line.length });
    case 'wordLeft':
      return moveTo(buffer, buffer.col === 0 ? before(buffer, atoms) : { row: buffer.row, col: previousWordStart(line, buffer.col, atoms) });
    case 'wordRight':
      return moveTo(buffer, buffer.col === line.length ? after(buffer, atoms) : { row: buffer.row, col: nextWordEnd(line, buffer.col, atoms) });
    case 'deleteWordBackward': {
      const from = buffer.col === 0 ? before(buffer, atoms) : { row: buffer.row, col: previousWordStart(line, buffer.col, atoms) };
      return splice(buffer, from, here, '');
    }
    case 'killToEnd':
      // At the end of a line Ctrl+K takes the line break, as in Emacs.
      return splice(buffer, here, buffer.col < line.length ? { row: buffer.row, col: line.length } : after(buffer, atoms), '');
    case 'killToStart':
      return splice(buffer, buffer.col > 0 ? { row: buffer.row, col: 0 } : before(buffer, atoms), here, '');
    case 'clear':
      return isEmpty(buffer) && buffer.pastes.size === 0 ? buffer : { ...createBuffer(), pasteCount: buffer.pasteCount };
    case 'set':
      return { ...createBuffer(action.text), pastes: buffer.pastes, pasteCount: buffer.pasteCount };
  }
}

/** The prompt as typed, placeholders and all. */
export function text(buffer: TextBuffer): string {
  return buffer.lines.join('\n');
}

/** The prompt to submit: placeholders replaced by what was pasted. */
export function expandPastes(buffer: TextBuffer): string {
  return expandPlaceholders(text(buffer), buffer.pastes);
}

export function isEmpty(buffer: TextBuffer): boolean {
  return buffer.lines.length === 1 && buffer.lines[0] === '';
}

/** Up here cannot move the cursor: the UI recalls older history instead. */
export function atFirstLine(buffer: TextBuffer): boolean {
  return buffer.row === 0;
}

/** Down here cannot move the cursor: the UI recalls newer history instead. */
export function atLastLine(buffer: TextBuffer): boolean {
  return buffer.row === buffer.lines.length - 1;
}

/** Terminal columns `text` occupies: wide characters count two, a tab `TAB_WIDTH`. */
export function displayWidth(text: string): number {
  let tabs = 0;
  for (const char of text) if (char === '\t') tabs++;
  return stringWidth(text) + tabs * TAB_WIDTH;
}

/** The cursor's column on screen, within its line. */
export function cursorDisplayColumn(buffer: TextBuffer): number {
  return displayWidth(currentLine(buffer).slice(0, buffer.col));
}

/**
 * Enter typed right after a `\` asks for a new line (the shell convention,
 * for terminals that cannot send Shift+Enter). The UI calls this on
 * `submit`: the buffer with that backslash turned into a line break, or
 * undefined when the character before the cursor is not a backslash.
 */
export function backslashNewline(buffer: TextBuffer): TextBuffer | undefined {
  if (buffer.col === 0 || currentLine(buffer)[buffer.col - 1] !== '\\') return undefined;
  return splice(buffer, { row: buffer.row, col: buffer.col - 1 }, { row: buffer.row, col: buffer.col }, '\n');
}

function currentLine(buffer: TextBuffer): string {
  return buffer.lines[buffer.row] ?? '';
}

function atomsOf(buffer: TextBuffer, line: string): Span[] {
  return buffer.pastes.size ? atomicSpans(line, buffer.pastes.keys()) : [];
}

/** One stop back, across the line break at the start of a line. */
function before(buffer: TextBuffer, atoms: readonly Span[]): Position {
  if (buffer.col > 0) return { row: buffer.row, col: previousStop(currentLine(buffer), buffer.col, atoms) };
  if (buffer.row > 0) return { row: buffer.row - 1, col: (buffer.lines[buffer.row - 1] as string).length };
  return { row: buffer.row, col: buffer.col };
}

/** One stop forward, across the line break at the end of a line. */
function after(buffer: TextBuffer, atoms: readonly Span[]): Position {
  const line = currentLine(buffer);
  if (buffer.col < line.length) return { row: buffer.row, col: nextStop(line, buffer.col, atoms) };
  if (buffer.row < buffer.lines.length - 1) return { row: buffer.row + 1, col: 0 };
  return { row: buffer.row, col: buffer.col };
}

function moveTo(buffer: TextBuffer, to: Position): TextBuffer {
  if (to.row === buffer.row && to.col === buffer.col && buffer.goalColumn === undefined) return buffer;
  return { ...buffer, row: to.row, col: to.col, goalColumn: undefined };
}

/** Replace the text between two positions (`from` before `to`) with `insert`; the cursor ends after it. */
function splice(buffer: TextBuffer, from: Position, to: Position, insert: string, pastes = buffer.pastes): TextBuffer {
  if (insert === '' && from.row === to.row && from.col === to.col) return buffer;
  const head = (buffer.lines[from.row] as string).slice(0, from.col);
  const tail = (buffer.lines[to.row] as string).slice(to.col);
  const parts = insert.split('\n');
  const last = parts.length - 1;
  const middle = parts.map((part, index) => (index === 0 ? head : '') + part + (index === last ? tail : ''));
  return {
    ...buffer,
    lines: [...buffer.lines.slice(0, from.row), ...middle, ...buffer.lines.slice(to.row + 1)],
    row: from.row + last,
    col: (last === 0 ? head.length : 0) + (parts[last] as string).length,
    pastes,
    goalColumn: undefined,
  };
}

function paste(buffer: TextBuffer, pasted: string): TextBuffer {
  const here = { row: buffer.row, col: buffer.col };
  if (!shouldCollapse(pasted)) return pasted ? splice(buffer, here, here, pasted) : buffer;
  const number = buffer.pasteCount + 1;
  const placeholder = placeholderFor(number, pasted);
  const pastes = new Map(buffer.pastes).set(placeholder, pasted);
  return { ...splice(buffer, here, here, placeholder, pastes), pasteCount: number };
}

/** Up or down a line, to the stop nearest the goal column without passing it. */
function vertical(buffer: TextBuffer, delta: number): TextBuffer {
  const row = buffer.row + delta;
  const target = buffer.lines[row];
  if (target === undefined) return buffer;
  const goal = buffer.goalColumn ?? cursorDisplayColumn(buffer);
  let col = 0;
  let width = 0;
  let previous = 0;
  for (const stop of cursorStops(target, atomsOf(buffer, target))) {
    width += displayWidth(target.slice(previous, stop));
    previous = stop;
    if (width > goal) break;
    col = stop;
  }
  return { ...buffer, row, col, goalColumn: goal };
}

/** Line breaks normalised; escape sequences and control characters other than newline and tab removed (the buffer is drawn verbatim). */
function clean(input: string): string {
  return input
    .replace(/\r\n?/g, '\n')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
