/**
 * Sub-agents: a task handed to one runs as a small creature of its own
 * (own prompt, tools, budget) whose events nest under the parent's, whose
 * answer is the tool result, and whose conversation the session keeps.
 * Background by default; depth-limited; budgets end them with a note; a
 * cancelled parent cancels the child.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SubagentCatalog } from '../../../source/engine/creature/subagent-catalog.js';
import { ConfigError } from '../../../source/engine/errors.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { readCreatureState } from '../../../source/engine/session/restore.js';
import { subagentRuns } from '../../../source/engine/session/side-records.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptEntry } from '../../../source/testing/scripted-llm.js';

const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
const tools = new ToolCatalog();
tools.register({ name: 'add', description: add.description, create: () => add });

function catalog(overrides: Partial<Record<'finder' | 'deep', object>> = {}) {
  const c = new SubagentCatalog();
  c.register({ name: 'finder', description: 'Find things.', systemPrompt: 'You are FINDER. Find what you are asked.', tools: ['add'], canModify: false, background: false, ...overrides.finder });
  c.register({ name: 'deep', description: 'Go deeper.', systemPrompt: 'You are DEEP.', tools: [], canModify: false, background: false, subagents: ['finder'], ...overrides.deep });
  return c;
}

/** Who is asking: the first line of the system prompt. */
const who = (request: LLMRequest) => String(request.messages[0]?.content ?? '').split('\n')[0] ?? '';

function router(routes: Record<string, Array<ScriptEntry>>) {
  return (request: LLMRequest): ScriptEntry => {
    const key = Object.keys(routes).find((k) => who(request).includes(k)) ?? 'parent';
    const next = routes[key]!.shift();
    if (!next) throw new Error(`no more replies for ${key}`);
    return next;
  };
}

const dir = () => mkdtempSync(join(tmpdir(), 'kt-sub-'));

async function build(config: Record<string, unknown>, route: (r: LLMRequest) => ScriptEntry, options: { session?: string; subagents?: SubagentCatalog } = {}) {
  // Every request goes through the router, in whatever order parent and children ask.
  const llm = new ScriptedLLM(Array.from({ length: 40 }, () => route));
  const agent = await Agent.build(
    { name: 'boss', system_prompt: 'You are BOSS.', tools: ['add'], ...config },
    { llm, pwd: dir(), catalog: tools, subagentCatalog: options.subagents ?? catalog(), ...(options.session ? { session: options.session } : {}) },
  );
  return { agent, llm };
}

describe('sub-agents', () => {
  it('a foreground sub-agent works with its own prompt and tools; its events nest; its answer is the result', async () => {
    const path = join(dir(), 's.kohakutr');
    const { agent, llm } = await build(
      { subagents: ['finder'] },
      router({
        parent: [{ toolCalls: [{ id: 'f1', name: 'finder', args: { task: 'What is 2 + 2?' } }] }, { text: 'The finder says 4.' }],
        FINDER: [{ toolCalls: [{ id: 'a1', name: 'add', args: { a: 2, b: 2 } }] }, { text: 'It is 4.' }],
      }),
      { session: path },
    );
    const events: AgentEvent[] = [];
    agent.on((e) => events.push(e));
    const result = await agent.run('Ask the finder.');
    expect(result.text).toBe('The finder says 4.');
    expect(agent.messages.find((m) => m.role === 'tool')).toMatchObject({ name: 'finder', content: 'It is 4.' });

    const finderRequest = llm.calls.find((c) => who(c).includes('FINDER'))!;
    expect(finderRequest.tools!.map((t) => t.name)).toEqual(['add']);
    expect(String(finderRequest.messages[0]!.content)).toMatch(/You are FINDER[^]*## Tools\n\n- add: Add two numbers\.[^]*## Environment/);
    expect(finderRequest.messages[1]).toEqual({ role: 'user', content: 'What is 2 + 2?' });
    expect(llm.calls[0]!.tools!.find((t) => t.name === 'finder')).toMatchObject({ description: 'Find things.' });

    const nested = events.filter((e) => e.agentPath.length === 2);
    expect(nested.every((e) => e.agentPath.join('/') === 'boss/finder' && e.turnId === 'turn_1')).toBe(true);
    expect(nested.map((e) => e.type)).toContain('tool.result');
    const start = events.find((e) => e.type === 'subagent.start')!;
    const end = events.find((e) => e.type === 'subagent.end')!;
    expect(start).toMatchObject({ name: 'finder', task: 'What is 2 + 2?', background: false, depth: 1, agentPath: ['boss'] });
    expect(end).toMatchObject({ name: 'finder', status: 'completed', text: 'It is 4.', steps: 2, toolCalls: 1 });
    expect(agent.usage.input).toBeGreaterThanOrEqual(0);
    await agent.stop();

    const store = SessionStore.open(path, { readonly: true });
    expect(readCreatureState(store, 'boss').messages).toEqual(agent.messages);
    const runs = subagentRuns(store, 'boss');
    expect(runs).toEqual([expect.objectContaining({ name: 'finder', status: 'completed' })]);
    expect((runs[0]!.messages as Array<{ role: string }>).map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    store.close();
  });

  it('background by default: a job id now, the report in a later turn', async () => {
    const { agent } = await build(
      { subagents: ['finder'] },
      router({
        parent: [{ toolCalls: [{ id: 'f1', name: 'finder', args: { task: 'look' } }] }, { text: 'Asked the finder.' }, { text: 'Got the report.' }],
        FINDER: [{ text: 'Found it in src/a.ts:3.', delayMs: 30 }],
      }),
      { subagents: catalog({ finder: { background: true } }) },
    );
    const second = new Promise<AgentEvent>((resolve) => agent.on('turn.end', (e) => e.agentPath.length === 1 && e.turnIndex === 2 && resolve(e)));
    expect((await agent.run('go')).text).toBe('Asked the finder.');
    expect(String(agent.messages.find((m) => m.role === 'tool')!.content)).toMatch(/finder is running in the background as job agent_finder_[0-9a-f]{8}/);
    await second;
    expect(String(agent.messages.at(-2)!.content)).toMatch(/^\[Sub-agent finder \(agent_finder_[0-9a-f]{8}\) finished\]\nFound it in src\/a\.ts:3\.$/);
    expect(agent.jobs.list()[0]).toMatchObject({ kind: 'subagent', name: 'finder', status: 'done' });
    await agent.stop();
  });

  it('nesting stops at max_subagent_depth', async () => {
    const seen: Record<string, string[]> = {};
    const record = (entry: ScriptEntry) => (request: LLMRequest) => ((seen[who(request)] = (request.tools ?? []).map((t) => t.name)), entry);
    const routes = {
      parent: [{ toolCalls: [{ id: 'd', name: 'deep', args: { task: 'go deep' } }] }, { text: 'done' }],
      DEEP: [{ toolCalls: [{ id: 'f', name: 'finder', args: { task: 'find' } }] }, { text: 'deep done' }],
      FINDER: [{ text: 'found' }],
    };
    const route = (request: LLMRequest) => record(router(routes)(request))(request);
    const one = await build({ subagents: ['deep', 'finder'], max_subagent_depth: 1 }, router({ parent: [{ toolCalls: [{ id: 'd', name: 'deep', args: { task: 'x' } }] }, { text: 'ok' }], DEEP: [{ text: 'alone' }] }));
    await one.agent.run('go');
    // At depth 1 of 1, deep may not hand work on to finder.
    expect(one.llm.calls.find((c) => who(c).includes('DEEP'))!.tools).toBeUndefined();
    await one.agent.stop();

    const two = await build({ subagents: ['deep', 'finder'], max_subagent_depth: 2 }, route);
    await two.agent.run('go');
    expect(seen['You are DEEP.']).toEqual(['finder']);
    expect(two.llm.calls.some((c) => who(c).includes('FINDER'))).toBe(true);
    await two.agent.stop();
  });

  it('a budget ends the sub-agent with a note; the parent carries on', async () => {
    const loop = { toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] };
    const { agent } = await build(
      { subagents: [{ name: 'finder', max_turns: 2 }] },
      router({ parent: [{ toolCalls: [{ id: 'f', name: 'finder', args: { task: 'loop' } }] }, { text: 'ok' }], FINDER: [loop, loop, loop] }),
    );
    await agent.run('go');
    expect(String(agent.messages.find((m) => m.role === 'tool')!.content)).toMatch(/stopped at its max_turns limit after 2 rounds and 2 tool calls; the report may be incomplete/);
    await agent.stop();

    const calls = await build(
      { subagents: [{ name: 'finder', max_tool_calls: 3 }] },
      router({ parent: [{ toolCalls: [{ id: 'f', name: 'finder', args: { task: 'loop' } }] }, { text: 'ok' }], FINDER: [{ toolCalls: [loop.toolCalls[0]!, loop.toolCalls[0]!] }, { toolCalls: [loop.toolCalls[0]!, loop.toolCalls[0]!] }, loop] }),
    );
    await calls.agent.run('go');
    expect(String(calls.agent.messages.find((m) => m.role === 'tool')!.content)).toMatch(/max_tool_calls limit after 2 rounds and 4 tool calls/);
    await calls.agent.stop();
  });

  it('interrupting the parent cancels the running sub-agent and its request', async () => {
    const route = router({ parent: [{ toolCalls: [{ id: 'f', name: 'finder', args: { task: 'hang' } }] }], FINDER: [{ hang: true }] });
    // The gate: the child's model request has been made (and hangs).
    let childAsked!: () => void;
    const childRequest = new Promise<void>((r) => (childAsked = r));
    const { agent } = await build({ subagents: ['finder'] }, (request) => {
      const entry = route(request);
      if (who(request).includes('FINDER')) childAsked();
      return entry;
    });
    const childEnded = new Promise<AgentEvent>((resolve) => agent.on('subagent.end', resolve));
    const running = agent.run('go');
    await childRequest;
    agent.interrupt();
    expect((await running).status).toBe('interrupted');
    expect(await childEnded).toMatchObject({ status: 'interrupted' });
    await agent.stop();
  });

  it('inline sub-agents from YAML; unknown names and tools fail at build with their line', async () => {
    const folder = dir();
    writeFileSync(join(folder, 'checker.md'), 'You are CHECKER. Check things.');
    writeFileSync(
      join(folder, 'config.yaml'),
      ['name: boss', 'system_prompt: You are BOSS.', 'tools: [add]', 'subagents:', '  - name: checker', '    description: Check a claim.', '    prompt_file: checker.md', '    tools: [add]', '    background: false'].join('\n'),
    );
    const llm = new ScriptedLLM([{ toolCalls: [{ id: 'c', name: 'checker', args: { task: 'check 1+1' } }] }, { text: 'checked: 2' }, { text: 'It checks out.' }]);
    const agent = await Agent.build(folder, { llm, catalog: tools, subagentCatalog: catalog() });
    expect((await agent.run('check')).text).toBe('It checks out.');
    expect(String(llm.calls[1]!.messages[0]!.content)).toMatch(/^You are CHECKER\. Check things\./);
    await agent.stop();

    writeFileSync(join(folder, 'config.yaml'), 'name: boss\nsubagents:\n  - explorer\n');
    const unknown = await Agent.build(folder, { llm, catalog: tools, subagentCatalog: catalog() }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ConfigError);
    expect((unknown as Error).message).toMatch(/config\.yaml:3.*unknown sub-agent 'explorer'/);

    writeFileSync(join(folder, 'config.yaml'), 'name: boss\nsubagents:\n  - name: finder\n    tools: [read]\n');
    const badTool = await Agent.build(folder, { llm, catalog: tools, subagentCatalog: catalog() }).catch((e: unknown) => e);
    expect((badTool as Error).message).toMatch(/config\.yaml:3.*sub-agent 'finder': unknown tool 'read'/);
  });
});
