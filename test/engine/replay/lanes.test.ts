/**
 * Replay of what runs beside the creature's own rounds: sub-agent runs
 * (foreground, parallel, background with the turn their report starts),
 * approvals answered with the recorded replies, and a compaction whose
 * summary comes from the recording.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SUMMARY_SYSTEM_PROMPT } from '../../../source/engine/compaction/prompt.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { BuildOptions } from '../../../source/engine/creature/agent-options.js';
import { SubagentCatalog } from '../../../source/engine/creature/subagent-catalog.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptEntry } from '../../../source/testing/scripted-llm.js';

const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
const stamp = tool({ name: 'stamp', description: 'Stamp a file.', effect: 'edit', input: z.object({ file: z.string() }), execute: ({ file }) => `stamped ${file}` });

function catalogs(addTool = add) {
  const tools = new ToolCatalog();
  tools.register({ name: 'add', description: addTool.description, create: () => addTool });
  const subagents = new SubagentCatalog();
  subagents.register({ name: 'finder', description: 'Find things.', systemPrompt: 'You are FINDER.', tools: ['add'], canModify: false, background: false });
  subagents.register({ name: 'scout', description: 'Scout ahead.', systemPrompt: 'You are SCOUT.', tools: [], canModify: false, background: true });
  return { catalog: tools, subagentCatalog: subagents };
}

/** Routes each request by the first line of its system prompt, whatever order parent and children ask in. */
function router(routes: Record<string, ScriptEntry[]>): ScriptedLLM {
  const route = (request: LLMRequest): ScriptEntry => {
    const who = String(request.messages[0]?.content ?? '');
    if (who === SUMMARY_SYSTEM_PROMPT) return routes['summary']!.shift()!;
    const key = Object.keys(routes).find((k) => who.startsWith(`You are ${k}`)) ?? 'parent';
    return routes[key]!.shift() ?? { text: `no more for ${key}` };
  };
  return new ScriptedLLM(Array.from({ length: 40 }, () => route));
}

const sessionPath = () => join(mkdtempSync(join(tmpdir(), 'kt-replay-lanes-')), 'run.kohakutr');
const pwd = () => mkdtempSync(join(tmpdir(), 'kt-replay-pwd-'));
const BOSS = { name: 'boss', system_prompt: 'You are BOSS.', tools: ['add'], subagents: ['finder', 'scout'] };

describe('replay of sub-agents, interactions and compaction', () => {
  it('sub-agent runs replay each from their own recorded responses; a changed sub-agent tool names the run', async () => {
    const path = sessionPath();
    const llm = router({
      parent: [
        { toolCalls: [{ id: 'f1', name: 'finder', args: { task: '2 + 2?' } }, { id: 'f2', name: 'finder', args: { task: '3 + 3?' } }, { id: 's1', name: 'scout', args: { task: 'look ahead' } }] },
        { text: 'Finders said 4 and 6; the scout is out.' },
        { text: 'The scout is back.' },
      ],
      FINDER: [{ toolCalls: [{ id: 'a1', name: 'add', args: { a: 2, b: 2 } }] }, { toolCalls: [{ id: 'a2', name: 'add', args: { a: 3, b: 3 } }] }, { text: 'Sum found.' }, { text: 'Sum found.' }],
      SCOUT: [{ text: 'All clear ahead.', delayMs: 20 }],
    });
    const agent = await Agent.build(BOSS, { llm, pwd: pwd(), session: path, ...catalogs() });
    const second = new Promise<void>((resolve) => agent.on('turn.end', (e) => e.agentPath.length === 1 && e.turnIndex === 2 && resolve()));
    await agent.run('Ask around.');
    await second;
    await agent.stop();
    using reader = new SessionReader(path);
    expect(reader.turns().map((t) => t.source)).toEqual(['api', 'job']);

    const same = await replaySession(path, { build: catalogs() });
    expect(same.divergences.map(formatDivergence)).toEqual([]);
    expect(same.creatures[0]).toMatchObject({ extraCalls: [], unserved: {}, replayed: { turns: 2 } });

    const off = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a * b) });
    const changed = await replaySession(path, { build: catalogs(off) });
    // 2 * 2 is still 4: the first difference is in the second run (3 * 3).
    expect(changed.divergences[0]).toMatchObject({ kind: 'result', lane: 'boss/finder#f2', turn: 1, step: 1, expected: '6', actual: '9' });
    expect(formatDivergence(changed.divergences[0]!)).toMatch(/^first divergence \(sub-agent run boss\/finder#f2, turn 1, step 1\): a tool returned something else/);
  });

  it('approvals are answered with the recorded replies', async () => {
    const path = sessionPath();
    const llm = new ScriptedLLM([{ toolCalls: [{ id: 'k1', name: 'stamp', args: { file: 'a' } }, { id: 'k2', name: 'stamp', args: { file: 'b' } }] }, { text: 'One stamped, one refused.' }]);
    const build: BuildOptions = { tools: [stamp], catalog: new ToolCatalog() };
    const agent = await Agent.build({ name: 'clerk', system_prompt: 'You stamp.' }, { ...build, llm, pwd: pwd(), session: path });
    agent.answer(['approval'], (request) => (request.payload['callId'] === 'k1' ? 'once' : 'deny'));
    await agent.run('Stamp a and b.');
    await agent.stop();

    const report = await replaySession(path, { build });
    expect(report.divergences.map(formatDivergence)).toEqual([]);
    const recorded = await replaySession(path, { build, tools: 'recorded' });
    expect(recorded.ok).toBe(true);
  });

  it('a compacted session replays, the summary served from the recording', async () => {
    const path = sessionPath();
    const usage = (input: number) => ({ input, output: 5, cached: 0 });
    const llm = router({
      parent: [{ text: 'A1', usage: usage(100) }, { text: 'B1', usage: usage(100) }, { toolCalls: [{ id: 'c1', name: 'add', args: { a: 1, b: 2 } }], usage: usage(600) }, { text: 'C done', usage: usage(650) }, { text: 'D done', usage: usage(200) }],
      summary: [{ text: '## Current Goal\nkeep things' }],
    });
    const config = { name: 'keeper', system_prompt: 'You keep things.', tools: ['add'], compact: { max_tokens: 1000, threshold: 0.5, keep_recent_turns: 1, cooldown_seconds: 0 } };
    const agent = await Agent.build(config, { llm, pwd: pwd(), session: path, ...catalogs() });
    const compacted = new Promise<void>((resolve) => agent.on('compaction.end', () => resolve()));
    for (const input of ['a', 'b', 'c']) await agent.run(input);
    await compacted;
    await agent.run('d');
    await agent.stop();

    const report = await replaySession(path, { build: catalogs() });
    expect(report.divergences.map(formatDivergence)).toEqual([]);
    expect(report.creatures[0]).toMatchObject({ unserved: {}, extraCalls: [], replayed: { turns: 4 } });
  });
});
