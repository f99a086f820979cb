/**
 * Creatures whose model writes tool calls as text (tool_format bracket, xml
 * or custom): calls run as soon as their block closes, results come back as
 * one user message, only prose streams as text, unknown tags stay text, and
 * the session log rebuilds the exact conversation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { readCreatureState } from '../../../source/engine/session/restore.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
const note = tool({
  name: 'note',
  description: 'Keep a note.',
  input: z.object({ title: z.string(), content: z.string() }),
  execute: ({ title, content }) => `noted ${title}: ${content.length} chars`,
});

const dir = () => mkdtempSync(join(tmpdir(), 'kt-text-'));

async function build(format: unknown, script: ScriptStep[], session?: string) {
  const llm = new ScriptedLLM(script);
  const agent = await Agent.build(
    { name: 'texter', system_prompt: 'You use tools.', controller: { tool_format: format } },
    { llm, pwd: dir(), tools: [add, note], catalog: new ToolCatalog(), ...(session ? { session } : {}) },
  );
  return { agent, llm };
}

describe('text tool-call formats', () => {
  it('bracket: calls run from the text, results return as one user message, only prose streams', async () => {
    const reply = 'Let me add.\n[/add]\n@@a=1\n@@b=2\n[add/]\nAnd note it:\n[/note]\n@@title=sum\nThe sum is [3].\n[note/]\nDone.';
    const { agent, llm } = await build('bracket', [{ text: reply, chunkSize: 3 }, { text: 'It is 3.' }]);
    const deltas: string[] = [];
    const order: string[] = [];
    agent.on('text.delta', (e) => deltas.push(e.text));
    agent.on('tool.call', (e) => order.push(`call ${e.name} ${JSON.stringify(e.args)}`));
    const result = await agent.run('1 + 2?');
    expect(result.text).toBe('It is 3.');
    expect(llm.calls[0]!.tools).toBeUndefined();
    expect(agent.systemPrompt).toContain('A call opens with [/name] and closes with [name/]');
    expect(order).toEqual(['call add {"a":1,"b":2}', 'call note {"title":"sum","content":"The sum is [3]."}']);
    expect(deltas.join('')).toBe('Let me add.\n\nAnd note it:\n\nDone.It is 3.');
    expect(agent.messages.slice(1)).toEqual([
      { role: 'user', content: '1 + 2?' },
      { role: 'assistant', content: reply },
      { role: 'user', content: '## add - OK\n3\n\n## note - OK\nnoted sum: 15 chars' },
      { role: 'assistant', content: 'It is 3.' },
    ]);
    expect(result.toolCalls.map((c) => c.name)).toEqual(['add', 'note']);
    await agent.stop();
  });

  it('xml: attributes are arguments; unknown tags and unclosed blocks stay text and run nothing', async () => {
    const reply = 'See <b>this</b>: <add a="4" b="5"/> and <note title="x">body</note> then <add a="1"';
    const { agent } = await build('xml', [{ text: reply, chunkSize: 1 }, { text: 'ok' }]);
    const calls: unknown[] = [];
    agent.on('tool.call', (e) => calls.push(e.args));
    await agent.run('go');
    expect(calls).toEqual([{ a: 4, b: 5 }, { title: 'x', content: 'body' }]);
    expect(agent.messages[3]).toEqual({ role: 'user', content: '## add - OK\n9\n\n## note - OK\nnoted x: 4 chars' });
    await agent.stop();
  });

  it('bad arguments go back to the model as an error section', async () => {
    const { agent } = await build('bracket', [{ text: '[/add]\n@@a=one\n[add/]' }, { text: 'oops' }]);
    await agent.run('go');
    expect(agent.messages[3]!.content).toMatch(/^## add - ERROR\nError: invalid arguments: a: .*; b: /);
    await agent.stop();
  });

  it('a custom format works, and a bad one is a ConfigError naming the key', async () => {
    const custom = { start_char: '{', end_char: '}', slash_means_open: false, arg_style: 'inline' };
    const { agent } = await build(custom, [{ text: '{add a="2" b="2"}{/add}' }, { text: 'four' }]);
    await agent.run('go');
    expect(agent.messages[3]!.content).toBe('## add - OK\n4');
    await agent.stop();

    const folder = dir();
    writeFileSync(join(folder, 'config.yaml'), 'name: broken\ncontroller:\n  tool_format:\n    start_char: "[["\n');
    const error = await Agent.build(folder, { llm: new ScriptedLLM([]), catalog: new ToolCatalog() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/config\.yaml:4.*controller\.tool_format\.start_char/);
  });

  it('the session log rebuilds a text-format conversation exactly', async () => {
    const path = join(dir(), 'text.kohakutr');
    const { agent } = await build('bracket', [{ text: 'Adding [/add]\n@@a=2\n@@b=3\n[add/]', chunkSize: 4 }, { text: 'Five.' }], path);
    await agent.run('2 + 3?');
    const live = [...agent.messages];
    await agent.stop();
    const store = SessionStore.open(path, { readonly: true });
    expect(readCreatureState(store, 'texter').messages).toEqual(live);
    store.close();
  });
});
