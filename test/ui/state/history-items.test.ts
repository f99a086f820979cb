/**
 * A resumed session's transcript and footer, rebuilt from a real session
 * file: tools keep their recorded durations, an interrupted turn says so,
 * the footer starts from the session's figures, and counts read right.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SessionReader, type TurnRecord } from '../../../source/engine/session/reader.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { REPAINT_TURNS, withHistory, withRestoredUsage } from '../../../source/ui/state/history-items.js';
import { initialView } from '../../../source/ui/state/view.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-history-'));
const config = { name: 'keeper', system_prompt: 'You keep things.' };
const add = tool({ name: 'add', description: 'Add.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });

describe('resumed transcript', () => {
  it('shows recorded tool durations, Interrupted., and the footer as the session left it', async () => {
    const path = join(dir(), 'resume.kohakutr');
    const llm = new ScriptedLLM([
      { toolCalls: [{ id: 'a1', name: 'add', args: { a: 1, b: 2 } }], usage: { input: 40, output: 5, cached: 0 } },
      { text: 'It is 3.', usage: { input: 60, output: 4, cached: 0 } },
      { hang: true },
    ]);
    const agent = await Agent.build(config, { llm, tools: [add], catalog: new ToolCatalog(), pwd: dir(), session: path });
    let recorded = -1;
    agent.on('tool.result', (e) => (recorded = e.durationMs));
    await agent.run('add 1 and 2');
    const off = agent.on('step.start', () => agent.interrupt());
    expect((await agent.run('and then?')).status).toBe('interrupted');
    off();
    await agent.stop();

    let turns: TurnRecord[];
    {
      using reader = new SessionReader(path);
      turns = reader.turns();
    }
    const view = withHistory(initialView(), turns);
    const tools = view.committed.filter((i) => i.kind === 'tool');
    expect(tools).toMatchObject([{ name: 'add', durationMs: recorded }]);
    expect(view.committed.map((i) => (i.kind === 'info' || i.kind === 'user' ? i.text : i.kind))).toEqual([
      'add 1 and 2',
      'tool',
      'assistant',
      'and then?',
      'Interrupted.',
      'Resumed: 2 earlier turns above.',
    ]);

    const resumed = await Agent.build(config, { llm: new ScriptedLLM([]), tools: [add], catalog: new ToolCatalog(), pwd: dir(), session: path });
    expect(resumed.contextTokens).toBe(60);
    const footer = withRestoredUsage(view, { usage: resumed.usage, contextTokens: resumed.contextTokens, maxContext: 1000 });
    expect(footer.usage).toEqual({ input: 100, output: 9, cached: 0, contextTokens: 60, maxContext: 1000 });
    await resumed.stop();
  });

  it('says "1 earlier turn", not "1 earlier turns"', () => {
    const turn = (index: number): TurnRecord => ({ index, branch: 1, userText: `q${index}`, assistantText: `a${index}`, toolCalls: [], usage: { input: 0, output: 0, cached: 0 }, startedAt: 0, status: 'completed' });
    const one = withHistory(initialView(), [turn(1)]);
    expect(one.committed.at(-1)).toMatchObject({ text: 'Resumed: 1 earlier turn above.' });
    const many = withHistory(initialView(), Array.from({ length: REPAINT_TURNS + 1 }, (_, i) => turn(i + 1)));
    expect(many.committed[0]).toMatchObject({ text: '… 1 earlier turn is in the session, not shown (kt search finds them).' });
  });

  it('shows attached files as one line each, as the live transcript does', () => {
    const turn = { userText: 'what does @notes.txt say?\n\n<file path="notes.txt">\nline one\nline two\n</file>', assistantText: 'two lines', toolCalls: [], status: 'completed' } as unknown as TurnRecord;
    const view = withHistory(initialView(), [turn]);
    expect(view.committed.find((i) => i.kind === 'user')).toMatchObject({ text: 'what does @notes.txt say?\n@notes.txt (2 lines)' });
  });
});
