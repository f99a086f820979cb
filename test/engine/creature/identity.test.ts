/** Creatures and sub-agent runs are told apart by ids, not names: in events, in the session file, on resume. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SubagentCatalog } from '../../../source/engine/creature/subagent-catalog.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptEntry } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-ids-'));
const options = (llm: ScriptedLLM, extra: Record<string, unknown> = {}) => ({ llm, pwd: dir(), catalog: new ToolCatalog(), ...extra });

describe('ids, not names', () => {
  it('two creatures built from one config have their own ids on every event', async () => {
    const config = { name: 'twin', system_prompt: 'You are a twin.' };
    const a = await Agent.build(config, options(new ScriptedLLM([{ text: 'a' }])));
    const b = await Agent.build(config, options(new ScriptedLLM([{ text: 'b' }])));
    expect(a.creatureId).not.toBe(b.creatureId);
    const seen: AgentEvent[] = [];
    a.on((e) => seen.push(e));
    b.on((e) => seen.push(e));
    await Promise.all([a.run('x'), b.run('y')]);
    const byId = new Map<string, string[]>();
    for (const e of seen) byId.set(e.creatureId, [...(byId.get(e.creatureId) ?? []), e.type === 'turn.end' ? e.text : '']);
    expect([...byId.keys()].sort()).toEqual([a.creatureId, b.creatureId].sort());
    expect(byId.get(a.creatureId)).toContain('a');
    expect(byId.get(b.creatureId)).toContain('b');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a resumed creature keeps its id, and its snapshot is kept under it', async () => {
    const session = join(dir(), 'one.kohakutr');
    const first = await Agent.build({ name: 'keeper' }, options(new ScriptedLLM([{ text: 'one' }]), { session }));
    await first.run('hello');
    await first.stop();
    const again = await Agent.build({ name: 'keeper' }, options(new ScriptedLLM([{ text: 'two' }]), { session }));
    expect(again.creatureId).toBe(first.creatureId);
    expect(again.messages.slice(1).map((m) => m.content)).toEqual(['hello', 'one']);
    await again.stop();
    const store = SessionStore.open(session, { readonly: true });
    try {
      expect(store.loadSnapshot(first.creatureId)?.messages).toHaveLength(3);
      expect(new Set([...store.events()].map((e) => e.event.creatureId))).toEqual(new Set([first.creatureId]));
    } finally {
      store.close();
    }
  });

  it('two parallel runs of one sub-agent carry their own run ids', async () => {
    const subagents = new SubagentCatalog();
    subagents.register({ name: 'finder', description: 'Find things.', systemPrompt: 'You are FINDER.', tools: [], canModify: false, background: false });
    const route = (request: LLMRequest): ScriptEntry => {
      const system = String(request.messages[0]?.content ?? '');
      const last = request.messages[request.messages.length - 1];
      if (system.startsWith('You are FINDER.')) return { text: `found ${String(last?.content)}` };
      if (last?.role === 'tool') return { text: 'both found' };
      return { toolCalls: [{ id: 'x', name: 'finder', args: { task: 'north' } }, { id: 'y', name: 'finder', args: { task: 'south' } }] };
    };
    const agent = await Agent.build({ name: 'boss', subagents: ['finder'] }, options(new ScriptedLLM(Array.from({ length: 6 }, () => route)), { subagentCatalog: subagents }));
    const events: AgentEvent[] = [];
    agent.on((e) => events.push(e));
    expect((await agent.run('find both')).text).toBe('both found');
    const runs = new Map<string, string[]>();
    for (const e of events) if (e.agentPath.length === 2 && e.runId) runs.set(e.runId, [...(runs.get(e.runId) ?? []), e.type === 'turn.end' ? e.text : '']);
    expect([...runs.keys()].sort()).toEqual(['x', 'y']);
    expect(runs.get('x')).toContain('found north');
    expect(runs.get('y')).toContain('found south');
    // The creature's own events carry no run id.
    expect(events.filter((e) => e.agentPath.length === 1).every((e) => e.runId === undefined)).toBe(true);
    await agent.stop();
  });
});

describe('questions left open by a process that died', () => {
  it('are asked again on resume, and the answer reaches the model; an open approval expires with a warning', async () => {
    const session = join(dir(), 'asked.kohakutr');
    const first = await Agent.build({ name: 'asker' }, options(new ScriptedLLM([{ text: 'ok' }]), { session }));
    await first.run('hello');
    await first.stop();
    // What a kill -9 during ask_user leaves in the log: a request with no reply.
    const store = SessionStore.open(session, { owner: true });
    const envelope = { seq: 100, ts: Date.now(), sessionId: store.meta.sessionId, creatureId: first.creatureId, turnId: null, agentPath: ['asker'] };
    store.append({ ...envelope, type: 'interaction.request', id: 'old_1', kind: 'ask', payload: { question: 'Which colour?' } }, { turn: null, branch: null });
    store.append({ ...envelope, seq: 101, type: 'interaction.request', id: 'old_2', kind: 'approval', payload: { tool: 'bash' } }, { turn: null, branch: null });
    store.close();

    const llm = new ScriptedLLM([{ text: 'blue it is' }]);
    const resumed = await Agent.build({ name: 'asker' }, options(llm, { session }));
    const events: AgentEvent[] = [];
    resumed.on((e) => events.push(e));
    const asked = new Promise<Record<string, unknown>>((resolve) => resumed.answer(['ask'], (request) => (resolve(request.payload), 'blue')));
    const answered = new Promise((resolve) => resumed.on('turn.end', resolve));
    await resumed.start();
    expect(await asked).toEqual({ question: 'Which colour?', resumed: true });
    await answered;
    expect(String(llm.lastRequest?.messages.at(-1)?.content)).toMatch(/question you asked before the session was interrupted — "Which colour\?"\)\nblue$/);
    expect(events.filter((e) => e.type === 'interaction.reply' && e.outcome === 'expired').map((e) => (e.type === 'interaction.reply' ? e.id : ''))).toEqual(['old_1', 'old_2']);
    expect(events.find((e) => e.type === 'warning' && e.code === 'INTERACTION_EXPIRED')).toMatchObject({ message: expect.stringContaining('approval for bash') });
    await resumed.stop();
  });
});
