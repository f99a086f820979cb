/**
 * `replaySession` in check mode on a creature: an unchanged creature replays
 * equal (tools rerun in a scratch copy, or answered from the log); a changed
 * prompt, a changed tool or a changed limit is reported as the first
 * divergence, readable.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

const add = tool({ name: 'add', description: 'Add.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
const readNote = tool({
  name: 'read_note',
  description: 'Read a file of the working folder.',
  input: z.object({ file: z.string() }),
  execute: ({ file }, ctx) => readFileSync(join(ctx.cwd, file), 'utf8'),
});

const SCRIPT: ScriptStep[] = [
  { text: 'Adding.', toolCalls: [{ id: 'c1', name: 'add', args: { a: 1, b: 2 } }, { id: 'c2', name: 'read_note', args: { file: 'note.txt' } }], usage: { input: 10, output: 3, cached: 0 } },
  { text: 'It is 3, and the note says hi.', usage: { input: 20, output: 4, cached: 0 } },
  { toolCalls: [{ id: 'c3', name: 'add', args: { a: 3, b: 4 } }] },
  { text: 'Seven.' },
];

const CONFIG = { name: 'keeper', system_prompt: 'You keep things.' };

async function record(): Promise<{ path: string; pwd: string }> {
  const pwd = mkdtempSync(join(tmpdir(), 'kt-replay-tree-'));
  writeFileSync(join(pwd, 'note.txt'), 'hi');
  const path = join(mkdtempSync(join(tmpdir(), 'kt-replay-')), 'run.kohakutr');
  const agent = await Agent.build(CONFIG, { llm: new ScriptedLLM(SCRIPT), tools: [add, readNote], catalog: new ToolCatalog(), pwd, session: path });
  await agent.run('1 + 2, and read the note');
  await agent.run('3 + 4?');
  await agent.stop();
  return { path, pwd };
}

const build = { tools: [add, readNote], catalog: new ToolCatalog() };

describe('kt replay --check on a creature', () => {
  it('an unchanged creature replays equal, tools rerun in a scratch copy of the tree', async () => {
    const { path, pwd } = await record();
    // The copy is taken now: the replay must not touch the recorded tree.
    const report = await replaySession(path, { build });
    expect(report.divergences.map(formatDivergence)).toEqual([]);
    expect(report).toMatchObject({ ok: true, mode: 'check' });
    expect(report.creatures[0]).toMatchObject({ extraCalls: [], unserved: {}, recorded: { turns: 2, steps: 4, toolCalls: 3 }, replayed: { turns: 2, steps: 4, toolCalls: 3 } });
    expect(readFileSync(join(pwd, 'note.txt'), 'utf8')).toBe('hi');
  });

  it('answers tools from the log with tools: recorded', async () => {
    const { path, pwd } = await record();
    writeFileSync(join(pwd, 'note.txt'), 'changed since'); // a rerun would see this; the log does not
    const report = await replaySession(path, { build, tools: 'recorded' });
    expect(report.divergences.map(formatDivergence)).toEqual([]);
  });

  it('a changed tool shows as the first divergence: turn, step, expected and actual result', async () => {
    const { path } = await record();
    const broken = tool({ name: 'add', description: 'Add.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b + 1) });
    const report = await replaySession(path, { build: { ...build, tools: [broken, readNote] } });
    expect(report.ok).toBe(false);
    expect(report.divergences[0]).toMatchObject({ kind: 'result', turn: 1, step: 1, expected: '3', actual: '4' });
    expect(formatDivergence(report.divergences[0]!)).toBe(['first divergence (turn 1, step 1): a tool returned something else', '  expected: 3', '  actual:   4'].join('\n'));
  });

  it('a changed prompt is reported with the line that differs', async () => {
    const { path } = await record();
    const report = await replaySession(path, { build, creature: { ...CONFIG, system_prompt: 'You keep things.\nAnd you lose some.' } });
    expect(report.divergences[0]?.kind).toBe('prompt');
    const text = formatDivergence(report.divergences[0]!);
    expect(text).toContain('the system prompt differs');
    expect(text).toContain('+ And you lose some.');
  });

  it('a lower round limit stops short: the missing call is named', async () => {
    const { path } = await record();
    const report = await replaySession(path, { build, creature: { ...CONFIG, termination: { max_turns: 1 } } });
    expect(report.ok).toBe(false);
    // Each turn stops after its first round: its answer is not the recorded one, and its second response is never asked for.
    expect(report.divergences[0]).toMatchObject({ kind: 'answer', turn: 1, expected: 'answer "It is 3, and the note says hi."' });
    expect(report.divergences[0]?.actual).toMatch(/\(limit\)$/);
    expect(report.creatures[0]?.unserved).toEqual({ main: 2 });
  });
});

describe('kt replay --llm (live mode)', () => {
  it('gives the recorded user turns to another model and reports where it went its own way, with figures', async () => {
    const { path } = await record();
    const other = new ScriptedLLM([
      { text: 'Adding.', toolCalls: [{ id: 'x1', name: 'add', args: { a: 1, b: 2 } }], usage: { input: 8, output: 2, cached: 0 } },
      { text: 'Three; I did not read the note.', usage: { input: 9, output: 3, cached: 0 } },
      { text: 'Seven, by heart.', usage: { input: 5, output: 2, cached: 0 } },
    ], { id: 'other/model' });
    const report = await replaySession(path, { build, llm: other });
    expect(report).toMatchObject({ mode: 'live', ok: false });
    // The new model made one call where the recording made two: that is where it diverged first.
    expect(report.divergences[0]).toMatchObject({ kind: 'call', turn: 1, step: 1, expected: 'call read_note {"file":"note.txt"}', actual: 'answer "Three; I did not read the note."' });
    expect(report.creatures[0]).toMatchObject({
      recorded: { model: 'scripted/test', turns: 2, steps: 4, toolCalls: 3 },
      replayed: { model: 'other/model', turns: 2, steps: 3, toolCalls: 1, tokens: { input: 22, output: 7 } },
    });
  });
});
