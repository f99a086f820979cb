/**
 * Recordings made by an older kt still replay: each session format has a
 * fixture written by the version that introduced it (test/fixtures/sessions/
 * format-N, kept as SQL text), loaded into a fresh file here and replayed with
 * today's engine, tools re-executed in a scratch tree and answered from the log.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { loadDump, readDump } from '../../fixtures/sessions/sql-dump.js';

installBuiltins();
// record.mjs built its creature without the working tree's AGENTS.md.
const build = { projectInstructions: false };
/** The second turn's answer in record.mjs: long enough that format 2 stores it once and refers to it. */
const LONG_ANSWER = `Two lines. ${'The file holds alpha, then beta, and nothing else. '.repeat(12).trim()}`;
const FIXTURES = join(import.meta.dirname, '../../fixtures/sessions');
const FORMATS = readdirSync(FIXTURES).filter((name) => /^format-\d+$/.test(name)).sort();

/** The fixture as a session file of its own, and a tree holding what the recording read (record.mjs wrote the same). */
function setUp(format: string): { path: string; tree: string } {
  const dir = mkdtempSync(join(tmpdir(), `kt-${format}-`));
  const path = join(dir, 'session.kohakutr');
  loadDump(readDump(join(FIXTURES, format, 'session.sql')), path);
  const tree = join(dir, 'tree');
  mkdirSync(tree);
  writeFileSync(join(tree, 'notes.txt'), 'alpha\nbeta\n');
  return { path, tree };
}

describe('recordings of older session formats', () => {
  it('has a fixture for format 1 and for the current format', () => {
    expect(FORMATS).toEqual(expect.arrayContaining(['format-1', 'format-2']));
  });

  it('a recording still tells a changed tree apart (the comparison is not vacuous)', async () => {
    const { path, tree } = setUp('format-1');
    writeFileSync(join(tree, 'notes.txt'), 'gamma\n');
    const report = await replaySession(path, { tree, build });
    expect(report.ok).toBe(false);
    expect(report.divergences[0]).toMatchObject({ kind: 'result', turn: 1, step: 1 });
  });

  describe.each(FORMATS)('%s', (format) => {
    it('replays equal with its tools re-executed in a scratch tree', async () => {
      const { path, tree } = setUp(format);
      const report = await replaySession(path, { tree, build });
      expect(report.divergences.map(formatDivergence)).toEqual([]);
      expect(report.creatures[0]).toMatchObject({ extraCalls: [], unserved: {}, recorded: { turns: 2, toolCalls: 4 }, replayed: { turns: 2, toolCalls: 4 } });
    });

    it('replays equal with its tools answered from the log', async () => {
      const { path, tree } = setUp(format);
      const report = await replaySession(path, { tree, build, tools: 'recorded' });
      expect(report.divergences.map(formatDivergence)).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('reads with SessionReader: turns, tool calls, the conversation', () => {
      const { path } = setUp(format);
      using reader = new SessionReader(path);
      expect(reader.meta.formatVersion).toBe(Number(format.split('-')[1]));
      const turns = reader.turns();
      expect(turns.map((t) => [t.userText, t.status, t.assistantText])).toEqual([
        ['What do the notes say?', 'completed', 'Looking.\n\nThe notes say alpha and beta; bash said fixture-ok.'],
        ['How many lines?', 'completed', LONG_ANSWER],
      ]);
      expect(turns[0]?.toolCalls.map((c) => [c.name, c.result])).toEqual([
        ['read', '     1\talpha\n     2\tbeta'],
        ['bash', 'fixture-ok'],
        ['helper', 'The first line is alpha.'],
      ]);
      const conversation = reader.conversation();
      expect(conversation.at(-1)).toMatchObject({ role: 'assistant', content: LONG_ANSWER });
    });
  });
});
