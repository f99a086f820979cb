import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { budgetPlugin } from '../../../source/builtins/plugins/budget.js';
import { permgatePlugin } from '../../../source/builtins/plugins/permgate.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError, PluginBlockError } from '../../../source/engine/errors.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { PluginCatalog } from '../../../source/engine/plugins/catalog.js';
import { plugin } from '../../../source/engine/plugins/define.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';
import { rejection } from '../../helpers/thrown.js';

const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
const shell = tool({ name: 'shell', description: 'Pretend to run a command.', effect: 'execute', input: z.object({ cmd: z.string() }), execute: ({ cmd }) => `ran ${cmd}` });

function catalog() {
  const c = new PluginCatalog();
  c.register(budgetPlugin);
  c.register(permgatePlugin);
  return c;
}

async function build(script: ScriptStep[], options: { plugins?: Parameters<typeof Agent.build>[1] extends infer O ? O extends { plugins?: infer P } ? P : never : never; config?: Record<string, unknown>; pwd?: string } = {}) {
  const llm = new ScriptedLLM(script);
  const pwd = options.pwd ?? mkdtempSync(join(tmpdir(), 'kt-plugins-'));
  const agent = await Agent.build(
    { name: 'tester', system_prompt: 'You test things.', ...options.config },
    { llm, pwd, tools: [add, shell], catalog: new ToolCatalog(), pluginCatalog: catalog(), plugins: options.plugins ?? [], retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  );
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  return { agent, llm, events };
}

describe('plugins in a creature', () => {
  it('calls every hook in order with the right arguments', async () => {
    const calls: string[] = [];
    const recorder = plugin({
      name: 'recorder',
      setup: () => ({
        onLoad: () => void calls.push('onLoad'),
        onAgentStart: () => void calls.push('onAgentStart'),
        preLlmCall: (messages, info) => void calls.push(`preLlmCall:${info.purpose}:${info.step}:${messages.length}`),
        postLlmCall: (text, info) => void calls.push(`postLlmCall:${info.step}:${JSON.stringify(text)}:${info.usage?.output ?? '-'}`),
        preToolDispatch: (call) => void calls.push(`preToolDispatch:${call.name}`),
        preToolExecute: (args, info) => void calls.push(`preToolExecute:${info.toolName}:${JSON.stringify(args)}`),
        postToolExecute: (result, info) => void calls.push(`postToolExecute:${info.toolName}:${String(result.output)}`),
        onAgentStop: () => void calls.push('onAgentStop'),
        onUnload: () => void calls.push('onUnload'),
      }),
    });
    const { agent } = await build(
      [
        { toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }], usage: { input: 10, output: 3, cached: 0 } },
        { text: 'five', usage: { input: 20, output: 1, cached: 0 } },
      ],
      { plugins: [recorder] },
    );
    const result = await agent.run('2+3?');
    expect(result.status).toBe('completed');
    await agent.stop();
    // The tool runs while the answer streams, so its post hook and the round's may come in either order.
    const round = calls.slice(5, 7).sort();
    expect(round).toEqual(['postLlmCall:1:"":3', 'postToolExecute:add:5']);
    expect([...calls.slice(0, 5), ...calls.slice(7)]).toEqual([
      'onLoad',
      'onAgentStart',
      'preLlmCall:controller:1:2',
      'preToolDispatch:add',
      'preToolExecute:add:{"a":2,"b":3}',
      'preLlmCall:controller:2:4',
      'postLlmCall:2:"five":1',
      'onAgentStop',
      'onUnload',
    ]);
  });

  it('a pre hook rewrites arguments and a post hook rewrites the result and the answer, and step.end carries hook timings', async () => {
    const doubler = plugin({
      name: 'doubler',
      setup: () => ({
        preToolExecute: (args) => ({ ...(args as object), a: (args as { a: number }).a * 2 }),
        postToolExecute: (result) => ({ ...result, output: `${String(result.output)}!` }),
        postLlmCall: (text) => (text ? text.toUpperCase() : undefined),
      }),
    });
    const { agent, llm, events } = await build([{ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'seven' }], { plugins: [doubler] });
    const result = await agent.run('go');
    expect(result.text).toBe('SEVEN');
    expect(llm.lastRequest?.messages.find((m) => m.role === 'tool')?.content).toBe('7!');
    const steps = events.filter((e) => e.type === 'step.end');
    expect(steps[1]).toMatchObject({ text: 'SEVEN' });
    expect(Object.keys((steps[0] as Extract<AgentEvent, { type: 'step.end' }>).timings.hooks ?? {})).toEqual(expect.arrayContaining(['preToolExecute', 'postToolExecute', 'postLlmCall']));
  });

  it('a blocking plugin stops a tool and the model sees why', async () => {
    const guard = plugin({
      name: 'guard',
      setup: () => ({
        preToolExecute(_args, info) {
          if (info.toolName === 'shell') throw new PluginBlockError('shell is off limits in this project');
        },
      }),
    });
    const { agent, llm, events } = await build([{ toolCalls: [{ name: 'shell', args: { cmd: 'ls' } }] }, { text: 'ok, I will not' }], { plugins: [guard] });
    await agent.run('list files');
    const toolMessage = llm.lastRequest?.messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ content: 'Error: shell is off limits in this project', isError: true });
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ metadata: { blocked: 'guard' }, isError: true });
  });

  it('a plugin that blocks a model call ends the turn with its name as the limit', async () => {
    const { agent, events } = await build([{ toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] }, { text: 'never sent' }], { plugins: [{ plugin: 'budget', options: { turn_budget: [0, 1] } }] });
    const result = await agent.run('go');
    expect(result).toMatchObject({ status: 'limit', limit: 'plugin:budget', steps: 2 });
    expect(events.find((e) => e.type === 'warning' && e.code === 'PLUGIN_BLOCKED')).toMatchObject({ message: expect.stringContaining('model calls budget exhausted') });
  });

  it('a termination vote ends the turn after the round', async () => {
    const stopper = plugin({ name: 'stopper', setup: () => ({ terminationCheck: (ctx) => (ctx.toolCalls >= 1 ? { stop: true, reason: 'one call is enough' } : undefined) }) });
    const { agent } = await build([{ toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] }, { text: 'unused' }], { plugins: [stopper] });
    expect(await agent.run('go')).toMatchObject({ status: 'limit', limit: 'plugin:stopper', steps: 1 });
  });

  it('a plugin that throws every time is disabled and the turn goes on', async () => {
    const broken = plugin({
      name: 'broken',
      setup: () => ({
        preToolExecute() {
          throw new Error('kaput');
        },
      }),
    });
    const script: ScriptStep[] = [1, 2, 3, 4].map((n) => ({ toolCalls: [{ name: 'add', args: { a: n, b: 0 } }] }));
    const { agent, events } = await build([...script, { text: 'done' }], { plugins: [broken] });
    expect((await agent.run('go')).status).toBe('completed');
    const codes = events.filter((e) => e.type === 'warning').map((e) => (e.type === 'warning' ? e.code : ''));
    expect(codes).toEqual(['PLUGIN_ERROR', 'PLUGIN_ERROR', 'PLUGIN_ERROR', 'PLUGIN_DISABLED']);
    expect(agent.plugins.list().find((p) => p.name === 'broken')?.enabled).toBe(false);
  });

  it('permgate asks through interaction events; answers come from respond()', async () => {
    const { agent, llm, events } = await build([{ toolCalls: [{ name: 'shell', args: { cmd: 'make' } }] }, { toolCalls: [{ name: 'shell', args: { cmd: 'rm -rf /' } }] }, { text: 'done' }]);
    await agent.setApprovalMode('default');
    const detach = agent.interactions.attach();
    let answered = 0;
    agent.on('interaction.request', (request) => agent.respond(request.id, answered++ === 0 ? 'once' : 'deny'));
    await agent.run('build');
    detach();
    const results = llm.lastRequest?.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results?.[0]).toBe('ran make');
    expect(results?.[1]).toMatch(/^Error: the user did not allow this shell call/);
    const kinds = events.filter((e) => e.type.startsWith('interaction.')).map((e) => e.type);
    expect(kinds).toEqual(['interaction.request', 'interaction.reply', 'interaction.request', 'interaction.reply']);
  });

  it('with nobody to ask, permgate refuses and says which mode allows it', async () => {
    const { agent, llm } = await build([{ toolCalls: [{ name: 'shell', args: { cmd: 'make' } }] }, { text: 'done' }]);
    const refused: string[] = [];
    await agent.refuseUnapproved('auto-edit', (message) => refused.push(message));
    await agent.run('build');
    expect(llm.lastRequest?.messages.find((m) => m.role === 'tool')?.content).toMatch(/needs approval, and nobody can approve it in this run.*approval mode yolo/);
    expect(refused).toEqual([expect.stringContaining('pass --approval-mode yolo')]);
  });

  it('removing the approver keeps the gate: with nobody left to ask, a gated call is refused, never run unasked', async () => {
    const { agent, llm } = await build([{ toolCalls: [{ name: 'shell', args: { cmd: 'rm -rf build' } }] }, { text: 'done' }]);
    await agent.setApprover(async () => 'once');
    await agent.setApprover(undefined);
    await agent.run('clean');
    expect(llm.lastRequest?.messages.find((m) => m.role === 'tool')?.content).toMatch(/needs approval, and nobody can approve it/);
  });

  it('an approver that attaches while a question is open answers it (a surface that moved away and back)', async () => {
    const { agent } = await build([{ toolCalls: [{ name: 'shell', args: { cmd: 'make' } }] }, { text: 'done' }]);
    await agent.setApprovalMode('default');
    const holding = agent.interactions.attach();
    const asked = new Promise<void>((resolve) => agent.on('interaction.request', () => resolve()));
    const turn = agent.run('build');
    await asked;
    await agent.setApprover(async () => 'once');
    holding();
    const result = await turn;
    expect(result.toolCalls.map((c) => c.output)).toEqual(['ran make']);
  });

  it('a surface that crashes while answering is an error for the call, never a denial or an approval', async () => {
    const { agent, llm } = await build([{ toolCalls: [{ name: 'shell', args: { cmd: 'make' } }] }, { text: 'done' }]);
    await agent.setApprover(async () => {
      throw new Error('dialog crashed');
    });
    await agent.run('build');
    expect(llm.lastRequest?.messages.find((m) => m.role === 'tool')?.content).toMatch(/^Error: approval for shell could not be obtained: .*dialog crashed\. The call did not run\.$/);
  });

  it('loads custom plugin modules from config and names the file when one fails', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-plugins-mod-'));
    writeFileSync(
      join(pwd, 'shout.mjs'),
      "export default { name: 'shout', setup: (ctx) => ({ postLlmCall: (text) => text + ctx.options.suffix }) };\n",
    );
    writeFileSync(join(pwd, 'broken.mjs'), 'export default {;\n');
    const { agent } = await build([{ text: 'hi' }], { pwd, config: { plugins: [{ name: 'shout', module: join(pwd, 'shout.mjs'), options: { suffix: '!!' } }] } });
    expect((await agent.run('x')).text).toBe('hi!!');
    const error = await rejection(
      ConfigError,
      Agent.build({ name: 't', plugins: [{ name: 'broken', module: join(pwd, 'broken.mjs') }] }, { llm: new ScriptedLLM([]), pwd, catalog: new ToolCatalog(), pluginCatalog: catalog() }),
    );
    expect(error.message).toContain(`cannot load plugin module ${join(pwd, 'broken.mjs')}`);
    const unknown = await rejection(ConfigError, Agent.build({ name: 't', plugins: ['budgte'] }, { llm: new ScriptedLLM([]), pwd, catalog: new ToolCatalog(), pluginCatalog: catalog() }));
    expect(unknown.message).toContain("unknown plugin 'budgte'; did you mean 'budget'?");
  });

  it("a plugin's state is kept in the session: a resumed creature spends the same budget", async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-plugins-state-'));
    const session = join(pwd, 's.kohakutr');
    const make = (script: ScriptStep[]) =>
      Agent.build(
        { name: 'tester', plugins: [{ name: 'budget', options: { turn_budget: [5, 2] } }] },
        { llm: new ScriptedLLM(script), pwd, tools: [add], catalog: new ToolCatalog(), pluginCatalog: catalog(), session },
      ).catch((e: unknown) => e);
    expect(await make([])).toBeInstanceOf(ConfigError);
    const build2 = (script: ScriptStep[]) =>
      Agent.build(
        { name: 'tester', plugins: [{ name: 'budget', options: { turn_budget: [1, 2] } }] },
        { llm: new ScriptedLLM(script), pwd, tools: [add], catalog: new ToolCatalog(), pluginCatalog: catalog(), session },
      );
    const first = await build2([{ text: 'one' }, { text: 'two' }]);
    expect((await first.run('a')).status).toBe('completed');
    expect((await first.run('b')).status).toBe('completed');
    await first.stop();
    const resumed = await build2([{ text: 'never' }]);
    expect(await resumed.run('c')).toMatchObject({ status: 'limit', limit: 'plugin:budget' });
    await resumed.stop();
  });

  it('termination.idle_timeout stops a creature nobody gives work, and a turn keeps it alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { agent, events } = await build([{ text: 'one' }], { config: { termination: { idle_timeout: 60 } } });
      await agent.start();
      vi.advanceTimersByTime(59_000);
      expect(agent.state).toBe('idle');
      await agent.run('hello');
      vi.advanceTimersByTime(59_000);
      expect(agent.state).toBe('idle');
      const stopped = new Promise((resolve) => agent.on('creature.stop', resolve));
      vi.advanceTimersByTime(2_000);
      expect(await stopped).toMatchObject({ reason: 'idle_timeout' });
      expect(agent.state).toBe('stopped');
      expect(events.find((e) => e.type === 'warning' && e.code === 'IDLE_TIMEOUT')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
