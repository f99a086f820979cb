/**
 * What the keypress parser hands to the keymap: one key with its modifiers,
 * or one whole bracketed paste.
 *
 * Printable input is a `text` key carrying the whole run of characters that
 * arrived together, not one event per character: a fast typist's (or a
 * lagging terminal's) chunk then costs one buffer update and one render. A
 * run split across two reads arrives as two `text` keys, which insert the
 * same characters.
 */

export interface KeyPress {
  readonly kind: 'key';
  /**
   * `enter`, `tab`, `escape`, `backspace`, `delete`, `insert`, `up`, `down`,
   * `left`, `right`, `home`, `end`, `pageup`, `pagedown`, `clear`, `space`,
   * `f1`…`f12`, `wheelup`, `wheeldown`; a lower-case character for a
   * modified character key (`a` with ctrl, `b` with meta); `text` for
   * printable input; `unknown` for a sequence this parser does not know.
   */
  readonly name: string;
  readonly ctrl: boolean;
  /** Alt/Option: an ESC prefix or the alt bit of a modifier parameter. */
  readonly meta: boolean;
  readonly shift: boolean;
  /**
   * The characters that produced the key. For `text` keys this is the text
   * typed, which is what gets inserted (a CSI-u encoded letter reports the
   * letter, not its escape sequence).
   */
  readonly sequence: string;
}

export interface PasteEvent {
  readonly kind: 'paste';
  /** The pasted text, line breaks normalised to `\n`. */
  readonly text: string;
}

export type KeyEvent = KeyPress | PasteEvent;

export interface Modifiers {
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
}

export function keyPress(name: string, sequence: string, modifiers: Modifiers = {}): KeyPress {
  return {
    kind: 'key',
    name,
    ctrl: modifiers.ctrl ?? false,
    meta: modifiers.meta ?? false,
    shift: modifiers.shift ?? false,
    sequence,
  };
}

export function textKey(text: string): KeyPress {
  return keyPress('text', text);
}

export function withMeta(key: KeyPress, sequence: string): KeyPress {
  return { ...key, meta: true, sequence };
}
