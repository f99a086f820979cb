/**
 * Conversation changes that are not plain appends survive a resume: the note
 * an interrupted turn leaves for the model, and a model switched mid-session.
 * Each is built live, the creature stops, and a rebuild from the same file
 * must hold the same messages and model.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { INTERRUPTED_NOTE } from '../../../source/engine/creature/controller.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { readCreatureState } from '../../../source/engine/session/restore.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-edits-'));
const config = { name: 'keeper', system_prompt: 'You keep things.' };

/** A tool that waits until the turn is interrupted (it reports that it started first). */
function waiter(started: () => void) {
  return tool({
    name: 'wait_here',
    description: 'Wait.',
    input: z.object({}),
    execute: (_input, ctx) =>
      new Promise<string>((resolve) => {
        ctx.signal.addEventListener('abort', () => resolve('stopped'), { once: true });
        started();
      }),
  });
}

function build(path: string, llm: ScriptedLLM | string | undefined, extra: { tools?: ReturnType<typeof waiter>[]; env?: Record<string, string> } = {}) {
  return Agent.build(config, { ...(llm ? { llm } : {}), tools: extra.tools ?? [], catalog: new ToolCatalog(), pwd: dir(), session: path, ...(extra.env ? { env: extra.env } : {}) });
}

function replayed(path: string) {
  const store = SessionStore.open(path, { readonly: true });
  try {
    return readCreatureState(store, 'keeper');
  } finally {
    store.close();
  }
}

describe('interrupted turns leave a note for the model', () => {
  it('during a tool call: the pairing stays valid, the note follows, the next request sees it, and resume rebuilds it', async () => {
    const path = join(dir(), 'interrupt.kohakutr');
    let interrupt!: () => void;
    const script: ScriptStep[] = [{ toolCalls: [{ id: 'w1', name: 'wait_here', args: {} }] }, { text: 'Sure, what next?' }];
    const llm = new ScriptedLLM(script);
    const agent = await build(path, llm, { tools: [waiter(() => interrupt())] });
    interrupt = () => agent.interrupt();
    const cut = await agent.run('do the long thing');
    expect(cut.status).toBe('interrupted');
    expect(agent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(agent.messages.at(-1)).toEqual({ role: 'assistant', content: INTERRUPTED_NOTE });

    await agent.run('never mind, do something else');
    // The model was told: between the two user messages sits the note, not nothing.
    const seen = llm.calls[1]!.messages;
    expect(seen.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(seen[4]).toMatchObject({ role: 'assistant', content: INTERRUPTED_NOTE });
    const live = [...agent.messages];
    await agent.stop();

    expect(replayed(path).messages).toEqual(live);
    const again = await build(path, new ScriptedLLM([]), { tools: [waiter(() => undefined)] });
    expect(again.messages).toEqual(live);
    await again.stop();
  });

  it('before the model answered: the user messages are no longer back to back', async () => {
    const path = join(dir(), 'early.kohakutr');
    const llm = new ScriptedLLM([{ hang: true }, { text: 'ok' }]);
    const agent = await build(path, llm);
    agent.on('step.start', () => agent.interrupt());
    expect((await agent.run('first')).status).toBe('interrupted');
    const ends: unknown[] = [];
    agent.on('turn.end', (e) => ends.push(e.note));
    expect(agent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    await agent.stop();
    expect(replayed(path).messages).toEqual([...agent.messages]);
    // A completed turn leaves no note.
    const done = await build(path, new ScriptedLLM([{ text: 'fine' }]));
    done.on('turn.end', (e) => ends.push(e.note));
    await done.run('second');
    expect(ends).toEqual([undefined]);
    expect(done.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant']);
    await done.stop();
  });
});

describe('switching the model mid-session', () => {
  it('the conversation carries over, the change is logged, and resume knows the last model', async () => {
    const path = join(dir(), 'switch.kohakutr');
    const first = new ScriptedLLM([{ text: 'one' }], { id: 'scripted/first' });
    const agent = await build(path, first);
    await agent.run('hello');
    const changes: unknown[] = [];
    agent.on('model.changed', (e) => changes.push({ model: e.model, previous: e.previous }));
    const second = new ScriptedLLM([{ text: 'two' }], { id: 'scripted/second' });
    await agent.switchModel(second);
    expect(agent.model).toBe('scripted/second');
    expect(changes).toEqual([{ model: 'scripted/second', previous: 'scripted/first' }]);
    await agent.run('and now?');
    // The new model got the whole conversation; the old one was not asked again.
    expect(second.calls[0]!.messages.map((m) => m.content).slice(1)).toEqual(['hello', 'one', 'and now?']);
    expect(first.calls).toHaveLength(1);
    const live = [...agent.messages];
    await agent.stop();

    expect(replayed(path)).toMatchObject({ model: 'scripted/second', messages: live });
    using reader = new SessionReader(path);
    expect(reader.meta.model).toBe('scripted/second');
  });

  it('a resumed session builds with the last model chosen, unless the caller names one', async () => {
    const path = join(dir(), 'resume-model.kohakutr');
    const env = { KT_CONFIG_DIR: dir(), OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const agent = await build(path, new ScriptedLLM([{ text: 'one' }]), { env });
    await agent.run('hello');
    await agent.switchModel('openai/gpt-4o-mini');
    expect(agent.model).toBe('openai/gpt-4o-mini');
    expect(agent.maxContext).toBe(128_000);
    await agent.stop();

    const resumed = await build(path, undefined, { env });
    expect(resumed.model).toBe('openai/gpt-4o-mini');
    expect(resumed.messages.map((m) => m.content).slice(1)).toEqual(['hello', 'one']);
    await resumed.stop();
    const named = await build(path, new ScriptedLLM([], { id: 'scripted/named' }), { env });
    expect(named.model).toBe('scripted/named');
    await named.stop();
  });

  it('an unknown model is refused with the reason and the creature keeps its model', async () => {
    const agent = await Agent.build(config, { llm: new ScriptedLLM([]), pwd: dir(), env: { KT_CONFIG_DIR: dir() } });
    await expect(agent.switchModel('openai/gpt-4o')).rejects.toThrow(/no API key for openai/);
    expect(agent.model).toBe('scripted/test');
    await agent.stop();
  });
});
