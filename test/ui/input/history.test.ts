import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PromptHistory } from '../../../source/ui/input/history.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kt-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fileLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('PromptHistory: recall', () => {
  it('walks back through entries, then forward to the saved draft', () => {
    const history = new PromptHistory(undefined);
    for (const entry of ['one', 'two', 'three']) history.add(entry);
    expect(history.previous('my draft')).toBe('three');
    expect(history.previous('three')).toBe('two');
    expect(history.previous('two')).toBe('one');
    expect(history.previous('one')).toBeUndefined();
    expect(history.next()).toBe('two');
    expect(history.next()).toBe('three');
    expect(history.next()).toBe('my draft');
    expect(history.next()).toBeUndefined();
  });

  it('skips blank prompts and a repeat of the newest', () => {
    const history = new PromptHistory(undefined);
    for (const entry of ['a', 'a', '  ', '', 'b', 'a']) history.add(entry);
    expect(history.entries).toEqual(['a', 'b', 'a']);
  });

  it('reset starts recall from the newest again', () => {
    const history = new PromptHistory(undefined);
    history.add('old');
    history.add('new');
    history.previous('');
    history.previous('');
    history.reset();
    expect(history.previous('')).toBe('new');
  });

  it('keeps at most `limit` entries in memory', () => {
    const history = new PromptHistory(undefined, 3);
    for (let i = 1; i <= 5; i++) history.add(`p${i}`);
    expect(history.entries).toEqual(['p3', 'p4', 'p5']);
  });
});

describe('PromptHistory: reverse search', () => {
  const history = new PromptHistory(undefined);
  for (const entry of ['git status', 'npm test', 'git commit -m "Fix"', 'ls']) history.add(entry);

  it('finds the newest match first and continues older from the last index', () => {
    const first = history.search('git');
    expect(first).toEqual({ entry: 'git commit -m "Fix"', index: 2 });
    expect(history.search('git', (first?.index ?? 0) - 1)).toEqual({ entry: 'git status', index: 0 });
    expect(history.search('git', -1)).toBeUndefined();
  });

  it('matches substrings case-insensitively and reports no match as undefined', () => {
    expect(history.search('fix')?.index).toBe(2);
    expect(history.search('TEST')?.entry).toBe('npm test');
    expect(history.search('nothing like this')).toBeUndefined();
  });
});

describe('PromptHistory: the file', () => {
  it('persists across instances, one JSON line per entry, multi-line prompts included', () => {
    const file = join(dir, 'nested', 'history.jsonl');
    const first = new PromptHistory(file);
    first.load();
    first.add('first prompt');
    first.add('second\nwith two lines');
    const second = new PromptHistory(file);
    second.load();
    expect(second.entries).toEqual(['first prompt', 'second\nwith two lines']);
    expect(fileLines(file)).toEqual(['"first prompt"', '"second\\nwith two lines"']);
  });

  it('skips corrupt lines without failing', () => {
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, '"good one"\n{not json\n42\n{"text":"object"}\n\n"good two"\n"unterminated\n');
    const history = new PromptHistory(file);
    history.load();
    expect(history.entries).toEqual(['good one', 'good two']);
    history.add('three');
    expect(history.entries.at(-1)).toBe('three');
  });

  it('treats a missing file as empty history', () => {
    const history = new PromptHistory(join(dir, 'absent.jsonl'));
    history.load();
    expect(history.entries).toEqual([]);
    expect(history.lastError).toBeUndefined();
  });

  it('keeps working in memory when the file cannot be written', () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, '');
    const history = new PromptHistory(join(blocker, 'history.jsonl'));
    history.load();
    history.add('still remembered');
    expect(history.entries).toEqual(['still remembered']);
    expect(history.lastError).toBeTruthy();
  });

  it('trims the file to the newest `limit` entries', () => {
    const file = join(dir, 'history.jsonl');
    const history = new PromptHistory(file, 3);
    history.load();
    for (let i = 1; i <= 5; i++) history.add(`p${i}`);
    expect(fileLines(file)).toEqual(['"p3"', '"p4"', '"p5"']);
  });

  it('keeps what another window appended when trimming', () => {
    const file = join(dir, 'history.jsonl');
    const history = new PromptHistory(file, 4);
    history.load();
    for (let i = 1; i <= 4; i++) history.add(`mine ${i}`);
    appendFileSync(file, '"theirs"\n');
    history.add('mine 5');
    expect(fileLines(file)).toEqual(['"mine 3"', '"mine 4"', '"theirs"', '"mine 5"']);
    const reloaded = new PromptHistory(file, 4);
    reloaded.load();
    expect(reloaded.entries).toEqual(['mine 3', 'mine 4', 'theirs', 'mine 5']);
  });
});
