/**
 * What keys mean: named commands, the default bindings, and a user keymap
 * file merged over them. The UI never compares raw keys; it asks
 * `resolveCommand` and acts on the command, so rebinding is one JSON file.
 *
 * The file maps commands to chords and replaces that command's defaults:
 *   { "submit": ["enter"], "newline": ["shift+enter", "ctrl+j"] }
 * An empty list unbinds a command. A chord bound here is taken from
 * whichever command had it by default.
 *
 * Not in the keymap, because it depends on the text rather than the key:
 * Enter right after a `\` inserts a newline instead of submitting — the UI
 * checks `backslashNewline(buffer)` when `submit` arrives.
 */
import { readFileSync } from 'node:fs';
import { chordOf, parseChord } from './chords.js';
import type { KeyEvent } from './key-event.js';

export const BINDABLE_COMMANDS = [
  'submit', 'newline', 'interrupt', 'ctrlC', 'exit',
  'up', 'down', 'historyPrev', 'historyNext', 'reverseSearch',
  'background', 'expandToolOutput', 'redraw', 'complete', 'scrollUp', 'scrollDown', 'cycleApprovalMode',
  'left', 'right', 'home', 'end', 'wordLeft', 'wordRight',
  'backspace', 'delete', 'deleteWordBackward', 'killToEnd', 'killToStart',
] as const;

/** A command a key can be bound to. */
export type BindableCommand = (typeof BINDABLE_COMMANDS)[number];

/** What a key event means: a bound command, or text typed or pasted into the prompt. */
export type Command = BindableCommand | 'insert' | 'paste';

/** Canonical chord (`ctrl+r`) → command. */
export type Keymap = ReadonlyMap<string, BindableCommand>;

export interface LoadedKeymap {
  readonly keymap: Keymap;
  /** One line per ignored entry, for the UI to show; never fatal. */
  readonly warnings: readonly string[];
}

/**
 * `up`/`down` move between the prompt's lines; on the first/last line the UI
 * turns them into history recall (`atFirstLine`/`atLastLine`). `ctrlC` is
 * left to the UI: clear the prompt, interrupt a turn, or exit when pressed
 * twice. `interrupt` (Esc) stops the running turn. `cycleApprovalMode`
 * (Shift+Tab) steps through the approval modes.
 */
export const DEFAULT_BINDINGS: Readonly<Record<BindableCommand, readonly string[]>> = {
  submit: ['enter'],
  newline: ['shift+enter', 'alt+enter', 'ctrl+enter', 'ctrl+j'],
  interrupt: ['escape'],
  ctrlC: ['ctrl+c'],
  exit: ['ctrl+d'],
  up: ['up'],
  down: ['down'],
  historyPrev: ['ctrl+p'],
  historyNext: ['ctrl+n'],
  reverseSearch: ['ctrl+r'],
  background: ['ctrl+b'],
  expandToolOutput: ['ctrl+o'],
  redraw: ['ctrl+l'],
  complete: ['tab'],
  scrollUp: ['pageup', 'wheelup'],
  scrollDown: ['pagedown', 'wheeldown'],
  cycleApprovalMode: ['shift+tab'],
  left: ['left'],
  right: ['right'],
  home: ['home', 'ctrl+a'],
  end: ['end', 'ctrl+e'],
  wordLeft: ['ctrl+left', 'alt+left', 'alt+b'],
  wordRight: ['ctrl+right', 'alt+right', 'alt+f'],
  backspace: ['backspace', 'shift+backspace'],
  delete: ['delete'],
  deleteWordBackward: ['ctrl+w', 'alt+backspace', 'ctrl+backspace'],
  killToEnd: ['ctrl+k'],
  killToStart: ['ctrl+u'],
};

export const defaultKeymap: Keymap = buildKeymap({}).keymap;

export function resolveCommand(event: KeyEvent, keymap: Keymap = defaultKeymap): Command | undefined {
  if (event.kind === 'paste') return 'paste';
  if (event.name === 'text') return 'insert';
  if (event.name === 'unknown') return undefined;
  return keymap.get(chordOf(event));
}

/** The chords bound to `command`, for help and hints. */
export function keysFor(command: BindableCommand, keymap: Keymap = defaultKeymap): string[] {
  return [...keymap].filter(([, bound]) => bound === command).map(([chord]) => chord);
}

function isBindable(name: string): name is BindableCommand {
  return (BINDABLE_COMMANDS as readonly string[]).includes(name);
}

/** The defaults with `overrides` (parsed keymap JSON) merged over them. */
export function buildKeymap(overrides: unknown, source = 'keymap'): LoadedKeymap {
  const warnings: string[] = [];
  const replaced = new Map<BindableCommand, string[]>();
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    warnings.push(`${source}: expected an object of command → keys; using the default keys`);
  } else {
    for (const [command, keys] of Object.entries(overrides)) {
      if (!isBindable(command)) {
        warnings.push(`${source}: unknown command "${command}"`);
        continue;
      }
      if (typeof keys !== 'string' && !Array.isArray(keys)) {
        warnings.push(`${source}: "${command}" needs a list of keys`);
        continue;
      }
      const list: readonly unknown[] = typeof keys === 'string' ? [keys] : keys;
      const chords: string[] = [];
      for (const key of list) {
        const parsed = typeof key === 'string' ? parseChord(key) : { error: `${JSON.stringify(key)} is not a key name` };
        if ('error' in parsed) warnings.push(`${source}: ${command}: ${parsed.error}`);
        else chords.push(parsed.chord);
      }
      // A list of nothing but typos keeps the defaults rather than leaving the command unreachable.
      if (chords.length || list.length === 0) replaced.set(command, chords);
    }
  }
  const keymap = new Map<string, BindableCommand>();
  for (const command of BINDABLE_COMMANDS) {
    if (replaced.has(command)) continue;
    for (const key of DEFAULT_BINDINGS[command]) {
      const parsed = parseChord(key);
      if ('chord' in parsed) keymap.set(parsed.chord, command);
    }
  }
  const userBound = new Map<string, BindableCommand>();
  for (const [command, chords] of replaced) {
    for (const chord of chords) {
      const earlier = userBound.get(chord);
      if (earlier && earlier !== command) warnings.push(`${source}: "${chord}" is bound to both ${earlier} and ${command}; ${command} wins`);
      userBound.set(chord, command);
      keymap.set(chord, command);
    }
  }
  return { keymap, warnings };
}

/** The defaults, with the user's keymap file merged over them when it exists. */
export function loadKeymap(file?: string): LoadedKeymap {
  if (!file) return { keymap: defaultKeymap, warnings: [] };
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { keymap: defaultKeymap, warnings: [] };
    return { keymap: defaultKeymap, warnings: [`${file}: cannot read (${(error as Error).message}); using the default keys`] };
  }
  try {
    return buildKeymap(JSON.parse(raw), file);
  } catch (error) {
    return { keymap: defaultKeymap, warnings: [`${file}: not valid JSON (${(error as Error).message}); using the default keys`] };
  }
}
