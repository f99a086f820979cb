import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseChord } from '../../../source/ui/input/chords.js';
import { keyPress } from '../../../source/ui/input/key-event.js';
import { parseKeys } from '../../../source/ui/input/keypress.js';
import {
  BINDABLE_COMMANDS,
  DEFAULT_BINDINGS,
  buildKeymap,
  defaultKeymap,
  keysFor,
  loadKeymap,
  resolveCommand,
  type Keymap,
} from '../../../source/ui/input/keymap.js';

/** The command each key in `input` resolves to. */
function commands(input: string, keymap: Keymap = defaultKeymap): Array<string | undefined> {
  return parseKeys(input).map((event) => resolveCommand(event, keymap));
}

describe('chords', () => {
  it('canonicalises what users write', () => {
    expect(parseChord('Ctrl+R')).toEqual({ chord: 'ctrl+r' });
    expect(parseChord('shift+alt+Enter')).toEqual({ chord: 'alt+shift+enter' });
    expect(parseChord('meta+return')).toEqual({ chord: 'alt+enter' });
    expect(parseChord('esc')).toEqual({ chord: 'escape' });
    expect(parseChord('option+B')).toEqual({ chord: 'alt+b' });
    expect(parseChord('alt+shift+b')).toEqual({ chord: 'alt+shift+b' });
    expect(parseChord('ctrl++')).toEqual({ chord: 'ctrl++' });
    expect(parseChord('PgUp')).toEqual({ chord: 'pageup' });
  });

  it('explains what is wrong with a bad chord', () => {
    expect(parseChord('hyper+x')).toEqual({ error: expect.stringContaining('unknown modifier "hyper"') });
    expect(parseChord('ctrl+banana')).toEqual({ error: expect.stringContaining('unknown key "banana"') });
    expect(parseChord('q')).toEqual({ error: expect.stringContaining('types itself') });
    expect(parseChord('ctrl+')).toEqual({ error: expect.stringContaining('unknown key') });
  });
});

describe('default keymap', () => {
  it('binds every command, every default chord parses, and no chord is bound twice', () => {
    const all = Object.values(DEFAULT_BINDINGS).flat();
    for (const key of all) expect(parseChord(key), key).toHaveProperty('chord');
    expect(new Set(all).size).toBe(all.length);
    for (const command of BINDABLE_COMMANDS) expect(keysFor(command).length, command).toBeGreaterThan(0);
  });

  it('resolves what terminals send to commands', () => {
    expect(commands('\r')).toEqual(['submit']);
    expect(commands('\x1b[13;2u\x1b[27;2;13~\x1b\r\n')).toEqual(['newline', 'newline', 'newline', 'newline']);
    expect(commands('\x03\x04\x12\x02\x0f\x0c\t')).toEqual(['ctrlC', 'exit', 'reverseSearch', 'background', 'expandToolOutput', 'redraw', 'complete']);
    expect(commands('\x1b[5~\x1b[<64;1;1M\x1b[6~\x1b[<65;1;1M')).toEqual(['scrollUp', 'scrollUp', 'scrollDown', 'scrollDown']);
    expect(commands('\x01\x1b[H\x05\x1b[F')).toEqual(['home', 'home', 'end', 'end']);
    expect(commands('\x1b[1;5D\x1bb\x1b[1;5C\x1bf')).toEqual(['wordLeft', 'wordLeft', 'wordRight', 'wordRight']);
    expect(commands('\x17\x1b\x7f\x0b\x15\x7f\x1b[3~')).toEqual(['deleteWordBackward', 'deleteWordBackward', 'killToEnd', 'killToStart', 'backspace', 'delete']);
    expect(commands('\x1b[A\x1b[B\x10\x0e')).toEqual(['up', 'down', 'historyPrev', 'historyNext']);
    expect(commands('\x1b')).toEqual(['interrupt']);
  });

  it('typing is insert, a bracketed paste is paste, unknown and unbound keys are nothing', () => {
    expect(commands('héllo\x1b[200~x\x1b[201~')).toEqual(['insert', 'paste']);
    expect(commands('\x1b[99~\x1bz')).toEqual([undefined, undefined]);
  });
});

describe('user keymap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-keymap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a command’s keys and takes a chord from the command that had it', () => {
    const { keymap, warnings } = buildKeymap({ submit: ['ctrl+enter'], newline: ['enter', 'shift+enter'] });
    expect(warnings).toEqual([]);
    expect(resolveCommand(keyPress('enter', '\r'), keymap)).toBe('newline');
    expect(resolveCommand(keyPress('enter', '', { ctrl: true }), keymap)).toBe('submit');
    // newline's other defaults are replaced, not kept.
    expect(resolveCommand(keyPress('j', '\n', { ctrl: true }), keymap)).toBeUndefined();
    // Untouched commands keep their defaults.
    expect(resolveCommand(keyPress('r', '\x12', { ctrl: true }), keymap)).toBe('reverseSearch');
  });

  it('accepts a single key as a string and unbinds with an empty list', () => {
    const { keymap, warnings } = buildKeymap({ reverseSearch: 'ctrl+s', background: [] });
    expect(warnings).toEqual([]);
    expect(keysFor('reverseSearch', keymap)).toEqual(['ctrl+s']);
    expect(keysFor('background', keymap)).toEqual([]);
  });

  it('warns about bad entries and keeps going', () => {
    const { keymap, warnings } = buildKeymap(
      { submitt: ['enter'], exit: 'hyper+q', redraw: 42, complete: ['ctrl+banana', 'alt+c'], scrollUp: ['ctrl+u'], killToStart: ['ctrl+u'] },
      'keys.json',
    );
    expect(warnings).toEqual([
      'keys.json: unknown command "submitt"',
      'keys.json: exit: "hyper+q": unknown modifier "hyper" (use ctrl, alt or shift)',
      'keys.json: "redraw" needs a list of keys',
      'keys.json: complete: "ctrl+banana": unknown key "banana"',
      'keys.json: "ctrl+u" is bound to both scrollUp and killToStart; killToStart wins',
    ]);
    // All of exit's keys were typos: it keeps its default rather than becoming unreachable.
    expect(keysFor('exit', keymap)).toEqual(['ctrl+d']);
    expect(keysFor('redraw', keymap)).toEqual(['ctrl+l']);
    expect(keysFor('complete', keymap)).toEqual(['alt+c']);
  });

  it('loads a file, and falls back to the defaults with a warning when it is not JSON', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ interrupt: ['ctrl+g'] }));
    const loaded = loadKeymap(good);
    expect(loaded.warnings).toEqual([]);
    expect(commands('\x07', loaded.keymap)).toEqual(['interrupt']);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "submit": [');
    const fallback = loadKeymap(bad);
    expect(fallback.keymap).toBe(defaultKeymap);
    expect(fallback.warnings).toEqual([expect.stringContaining('not valid JSON')]);

    const array = join(dir, 'array.json');
    writeFileSync(array, '["enter"]');
    expect(loadKeymap(array).warnings).toEqual([expect.stringContaining('expected an object')]);
  });

  it('uses the defaults silently when there is no file', () => {
    expect(loadKeymap()).toEqual({ keymap: defaultKeymap, warnings: [] });
    expect(loadKeymap(join(dir, 'missing.json'))).toEqual({ keymap: defaultKeymap, warnings: [] });
  });
});
