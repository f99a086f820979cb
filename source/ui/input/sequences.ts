/**
 * Decoding one key from the bytes a terminal sends: a C0 control character,
 * or an escape sequence (CSI, SS3, ESC-prefixed Alt). Terminals disagree on
 * encodings, so each key is recognised in every form the common ones send:
 * legacy xterm (`\x1b[1;5C`), rxvt/linux console (`\x1b[7~`, `\x1b[[A`),
 * application mode (`\x1bOA`), xterm modifyOtherKeys (`\x1b[27;2;13~`) and
 * the kitty/CSI-u protocol (`\x1b[13;2u`).
 *
 * Stateless: the streaming parser (keypress.ts) decides what to do when a
 * sequence is still incomplete.
 */
import { keyPress, textKey, withMeta, type KeyPress, type Modifiers } from './key-event.js';

export const ESC = '\x1b';

/** What one escape sequence decoded to. `event` is absent for deliberately ignored input (focus, mouse clicks, query replies). */
export interface Decoded {
  readonly length: number;
  readonly event?: KeyPress | undefined;
  /** `\x1b[200~`: the start of a bracketed paste. */
  readonly pasteStart?: boolean;
}

/** Longest CSI we wait for; anything longer is not a key and must not stall input. */
const MAX_CSI = 64;

const CSI_LETTER: Readonly<Record<string, string>> = {
  A: 'up', B: 'down', C: 'right', D: 'left', E: 'clear', F: 'end', H: 'home',
  P: 'f1', Q: 'f2', R: 'f3', S: 'f4',
};

const CSI_TILDE: Readonly<Record<string, string>> = {
  1: 'home', 2: 'insert', 3: 'delete', 4: 'end', 5: 'pageup', 6: 'pagedown', 7: 'home', 8: 'end',
  11: 'f1', 12: 'f2', 13: 'f3', 14: 'f4', 15: 'f5', 17: 'f6', 18: 'f7', 19: 'f8', 20: 'f9', 21: 'f10', 23: 'f11', 24: 'f12',
};

const SS3_KEY: Readonly<Record<string, string>> = {
  A: 'up', B: 'down', C: 'right', D: 'left', E: 'clear', F: 'end', H: 'home', M: 'enter',
  P: 'f1', Q: 'f2', R: 'f3', S: 'f4',
};

/** Keypad keys in application-keypad mode: they type their character. */
const SS3_KEYPAD_TEXT: Readonly<Record<string, string>> = {
  j: '*', k: '+', l: ',', m: '-', n: '.', o: '/', X: '=',
  p: '0', q: '1', r: '2', s: '3', t: '4', u: '5', v: '6', w: '7', x: '8', y: '9',
};

/** Linux console F1–F5: `\x1b[[A` … `\x1b[[E`. */
const LINUX_CONSOLE_F: Readonly<Record<string, string>> = { A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5' };

/** Key codes that CSI-u and modifyOtherKeys report as numbers but that are named keys. */
const CODE_NAME: Readonly<Record<number, string>> = { 13: 'enter', 9: 'tab', 27: 'escape', 127: 'backspace', 8: 'backspace' };

export function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f);
}

/** A single control character (not ESC) as a key. `\n` is Ctrl+J, which is what it is on the keyboard; Enter sends `\r`. */
export function controlKey(char: string): KeyPress {
  const code = char.charCodeAt(0);
  switch (char) {
    case '\r':
      return keyPress('enter', char);
    case '\t':
      return keyPress('tab', char);
    case '\x7f':
    case '\b':
      return keyPress('backspace', char);
    case '\x00':
      return keyPress('space', char, { ctrl: true });
    case ESC:
      return keyPress('escape', char);
  }
  if (code >= 0x01 && code <= 0x1a) return keyPress(String.fromCharCode(code + 0x60), char, { ctrl: true });
  if (code >= 0x1c && code <= 0x1f) return keyPress(String.fromCharCode(code + 0x40), char, { ctrl: true });
  return keyPress('unknown', char);
}

/**
 * Decode the escape sequence starting at `input[start]` (an ESC), or
 * `undefined` when the input ends before the sequence does.
 */
export function decodeEscape(input: string, start: number): Decoded | undefined {
  const next = input[start + 1];
  if (next === undefined) return undefined;
  if (next === '[') return decodeCsi(input, start);
  if (next === 'O') return decodeSs3(input, start);
  if (next === ESC) return decodeDoubleEscape(input, start);
  return decodeAlt(input, start);
}

/**
 * What a still-incomplete sequence means once no more input is coming (the
 * ESC timeout passed): `\x1b[` and `\x1bO` were Alt+[ and Alt+O, anything
 * else began with a plain Escape. The caller decodes the rest afresh.
 */
export function decodeStale(input: string, start: number): Decoded {
  const next = input[start + 1];
  if (next === '[' || next === 'O') return { length: 2, event: altCharacter(next, input.slice(start, start + 2)) };
  return { length: 1, event: keyPress('escape', ESC) };
}

function decodeDoubleEscape(input: string, start: number): Decoded | undefined {
  // ESC ESC [ … is how rxvt and macOS Terminal send Alt+arrow; ESC ESC alone is Escape pressed twice.
  const third = input[start + 2];
  if (third === undefined) return undefined;
  if (third !== '[' && third !== 'O') return { length: 1, event: keyPress('escape', ESC) };
  const inner = decodeEscape(input, start + 1);
  if (!inner) return undefined;
  const sequence = input.slice(start, start + 1 + inner.length);
  return { ...inner, length: inner.length + 1, event: inner.event && withMeta(inner.event, sequence) };
}

function decodeAlt(input: string, start: number): Decoded | undefined {
  const code = input.codePointAt(start + 1) as number;
  // A high surrogate whose partner has not arrived yet.
  if (code >= 0xd800 && code <= 0xdbff && start + 2 >= input.length) return undefined;
  const char = String.fromCodePoint(code);
  const sequence = ESC + char;
  if (isControl(code)) return { length: 1 + char.length, event: withMeta(controlKey(char), sequence) };
  return { length: 1 + char.length, event: altCharacter(char, sequence) };
}

function altCharacter(char: string, sequence: string): KeyPress {
  const lower = char.toLowerCase();
  return keyPress(lower, sequence, { meta: true, shift: lower !== char });
}

function decodeSs3(input: string, start: number): Decoded | undefined {
  const final = input[start + 2];
  if (final === undefined) return undefined;
  const sequence = input.slice(start, start + 3);
  const name = SS3_KEY[final];
  if (name) return { length: 3, event: keyPress(name, sequence) };
  const text = SS3_KEYPAD_TEXT[final];
  if (text) return { length: 3, event: textKey(text) };
  // Not SS3 after all (a control or non-ASCII character follows): Alt+O, then decode the rest.
  const code = final.charCodeAt(0);
  if (code < 0x20 || code > 0x7e) return { length: 2, event: altCharacter('O', ESC + 'O') };
  return { length: 3, event: keyPress('unknown', sequence) };
}

function decodeCsi(input: string, start: number): Decoded | undefined {
  let end = start + 2;
  for (; end < input.length; end++) {
    const code = input.charCodeAt(end);
    if (code >= 0x40 && code <= 0x7e) break;
    // Only parameter (0x30–0x3f) and intermediate (0x20–0x2f) bytes belong in a CSI.
    if (code < 0x20 || code > 0x3f || end - start > MAX_CSI) return { length: 2, event: altCharacter('[', ESC + '[') };
  }
  if (end >= input.length) return undefined;
  const body = input.slice(start + 2, end);
  const final = input[end] as string;
  const length = end - start + 1;
  if (body === '' && final === 'M') return decodeX10Mouse(input, start);
  if (body === '' && final === '[') {
    const letter = input[start + 3];
    if (letter === undefined) return undefined;
    return { length: 4, event: keyPress(LINUX_CONSOLE_F[letter] ?? 'unknown', input.slice(start, start + 4)) };
  }
  return { length, ...decodeCsiBody(body, final, input.slice(start, start + length)) };
}

function decodeCsiBody(body: string, final: string, sequence: string): Omit<Decoded, 'length'> {
  if (body.startsWith('<')) return { event: sgrMouse(body, final, sequence) };
  // Replies to queries the app may send (device attributes, kitty flags): not keys.
  if (/^[?>=]/.test(body)) return {};
  // Focus reporting.
  if (body === '' && (final === 'I' || final === 'O')) return {};
  const params = body.split(';').map((p) => p.split(':')[0] ?? '');
  const modifiers = decodeModifiers(params[1]);
  if (final === '~') {
    const number = params[0] ?? '';
    if (number === '200') return { pasteStart: true };
    if (number === '201') return {}; // a paste end with no start: nothing to deliver
    if (number === '27') return { event: fromCodePoint(Number(params[2] || Number.NaN), modifiers, sequence) };
    return { event: keyPress(CSI_TILDE[number] ?? 'unknown', sequence, modifiers) };
  }
  if (final === 'u') return { event: fromCodePoint(Number(params[0] || Number.NaN), modifiers, sequence) };
  if (final === 'Z') return { event: keyPress('tab', sequence, { ...modifiers, shift: true }) };
  // `\x1b[12;40R` is a cursor position report; only `\x1b[1;<mod>R` is F3.
  if (final === 'R' && params.length > 1 && params[0] !== '1') return {};
  return { event: keyPress(CSI_LETTER[final] ?? 'unknown', sequence, modifiers) };
}

/** xterm modifier parameter: 1 + a bit set of shift (1), alt (2), ctrl (4). Super and others are not modelled. */
function decodeModifiers(param: string | undefined): Modifiers {
  const bits = Math.max(0, Number(param ?? 1) - 1) || 0;
  return { shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0 };
}

/** A key reported by its Unicode code point (CSI-u, modifyOtherKeys). */
function fromCodePoint(code: number, modifiers: Modifiers, sequence: string): KeyPress {
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) return keyPress('unknown', sequence);
  const named = CODE_NAME[code];
  if (named) return keyPress(named, sequence, modifiers);
  const char = String.fromCodePoint(code);
  if (isControl(code)) return { ...controlKey(char), sequence };
  if (!modifiers.ctrl && !modifiers.meta) {
    // Shift alone (or nothing) on a character key types that character.
    return textKey(modifiers.shift ? char.toUpperCase() : char);
  }
  if (code === 0x20) return keyPress('space', sequence, modifiers);
  const lower = char.toLowerCase();
  return keyPress(lower, sequence, { ...modifiers, shift: (modifiers.shift ?? false) || lower !== char });
}

/** SGR mouse report `\x1b[<b;x;yM`: only the wheel matters to a prompt; clicks and drags are dropped. */
function sgrMouse(body: string, final: string, sequence: string): KeyPress | undefined {
  if (final !== 'M' && final !== 'm') return undefined;
  return wheel(Number(body.slice(1).split(';')[0]), sequence);
}

/** Legacy X10 mouse report: `\x1b[M` and three bytes, each offset by 32. */
function decodeX10Mouse(input: string, start: number): Decoded | undefined {
  if (input.length < start + 6) return undefined;
  const sequence = input.slice(start, start + 6);
  return { length: 6, event: wheel(input.charCodeAt(start + 3) - 32, sequence) };
}

function wheel(button: number, sequence: string): KeyPress | undefined {
  // Bit 64 marks wheel buttons, bit 32 motion; the low bits say which wheel direction.
  if (!Number.isInteger(button) || (button & 64) === 0 || (button & 32) !== 0) return undefined;
  const direction = button & 3;
  if (direction > 1) return undefined; // horizontal wheel
  const modifiers = { shift: (button & 4) !== 0, meta: (button & 8) !== 0, ctrl: (button & 16) !== 0 };
  return keyPress(direction === 0 ? 'wheelup' : 'wheeldown', sequence, modifiers);
}
