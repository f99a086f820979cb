/**
 * Key chords as users write them in a keymap file (`ctrl+r`, `Alt+Enter`,
 * `shift+tab`, `esc`) and as key events are looked up: one canonical string,
 * `ctrl+alt+shift+name`, modifiers always in that order.
 */
import type { KeyPress } from './key-event.js';

const NAMED_KEYS = new Set([
  'enter', 'escape', 'tab', 'backspace', 'delete', 'insert', 'space', 'clear',
  'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'wheelup', 'wheeldown',
  'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'f11', 'f12',
]);

const KEY_ALIASES: Readonly<Record<string, string>> = {
  return: 'enter', esc: 'escape', del: 'delete', ins: 'insert', pgup: 'pageup', pgdn: 'pagedown', pgdown: 'pagedown',
};

const MODIFIER_ALIASES: Readonly<Record<string, 'ctrl' | 'alt' | 'shift'>> = {
  ctrl: 'ctrl', control: 'ctrl', alt: 'alt', meta: 'alt', option: 'alt', opt: 'alt', shift: 'shift',
};

interface Chord {
  readonly name: string;
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
}

function format(chord: Chord): string {
  return `${chord.ctrl ? 'ctrl+' : ''}${chord.alt ? 'alt+' : ''}${chord.shift ? 'shift+' : ''}${chord.name}`;
}

/** The chord a key event is looked up by. */
export function chordOf(key: KeyPress): string {
  return format({ name: key.name, ctrl: key.ctrl, alt: key.meta, shift: key.shift });
}

/** A user-written chord in canonical form, or why it is not one. */
export function parseChord(spec: string): { chord: string } | { error: string } {
  const trimmed = spec.trim();
  // `+` is itself a key: `ctrl++`.
  const plusKey = trimmed === '+' || trimmed.endsWith('++');
  const parts = plusKey ? [...trimmed.slice(0, -1).split('+').slice(0, -1), '+'] : trimmed.split('+');
  const key = parts.pop() ?? '';
  const chord = { name: '', ctrl: false, alt: false, shift: false };
  for (const part of parts) {
    const modifier = MODIFIER_ALIASES[part.toLowerCase()];
    if (!modifier) return { error: `"${spec}": unknown modifier "${part}" (use ctrl, alt or shift)` };
    chord[modifier] = true;
  }
  const lower = key.toLowerCase();
  const named = KEY_ALIASES[lower] ?? lower;
  if (NAMED_KEYS.has(named)) return { chord: format({ ...chord, name: named }) };
  if ([...key].length !== 1 || /[\x00-\x20\x7f]/.test(key)) return { error: `"${spec}": unknown key "${key}"` };
  if (!chord.ctrl && !chord.alt) return { error: `"${spec}": a character key types itself; bind it with ctrl+ or alt+` };
  // Case-insensitive like the named keys: `Ctrl+R` is ctrl+r; Shift is always written out.
  return { chord: format({ ...chord, name: lower }) };
}
