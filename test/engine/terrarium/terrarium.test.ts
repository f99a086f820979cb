/** The terrarium engine: channels between members, output wires in order, privilege, hot-plug, the Team prompt and engine events. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import { groupControl } from '../../../source/engine/terrarium/group-control.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import type { EngineEvent } from '../../../source/engine/terrarium/engine-events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-team-'));

/** A model that answers every request with `reply(lastUserText)` and records what it saw. */
function echo(reply: (input: string) => string = (input) => `got: ${input}`) {
  const seen: string[] = [];
  const llm = new ScriptedLLM([], {
    defaultEntry: { text: '' },
  });
  // Every call answers from the last user message.
  const steps = Array.from({ length: 50 }, () => (request: LLMRequest) => {
    const last = [...request.messages].reverse().find((m) => m.role === 'user');
    const text = last ? contentText(last.content) : '';
    seen.push(text);
    return { text: reply(text) };
  });
  return { llm: new ScriptedLLM(steps), seen, unused: llm };
}

function team(llm = echo().llm) {
  return new Terrarium({ name: 'crew', pwd: dir(), llm, build: { catalog: new ToolCatalog(), projectInstructions: false } });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error('condition never held');
}

describe('Terrarium', () => {
  it('broadcast channels reach every listener but the sender; queue channels take turns', async () => {
    await using t = team();
    const models = { a: echo(), b: echo(), c: echo() };
    for (const name of ['a', 'b', 'c'] as const) await t.addCreature({ name, system_prompt: `I am ${name}.` }, { llm: models[name].llm });
    t.addChannel('chat', { description: 'talk' });
    t.addChannel('work', { type: 'queue' });
    for (const name of ['a', 'b', 'c']) {
      await t.setListen(name, 'chat');
      await t.setListen(name, 'work');
      t.setSend(name, 'chat');
      t.setSend(name, 'work');
    }
    const a = groupControl(t, 'a');
    expect(a.send('chat', 'hello all').deliveredTo.sort()).toEqual(['b', 'c']);
    await until(() => models.b.seen.length === 1 && models.c.seen.length === 1);
    expect(models.b.seen[0]).toBe("[Channel 'chat' from a]: hello all");
    expect(models.a.seen).toEqual([]);
    const takers = [a.send('work', 'job 1'), a.send('work', 'job 2'), a.send('work', 'job 3')].map((r) => r.deliveredTo);
    expect(takers).toEqual([['b'], ['c'], ['b']]);
  });

  it('wires deliver the turn-end text in wiring order, with templates and lifecycle pings', async () => {
    await using t = team();
    const writer = echo(() => 'the draft');
    const first = echo(() => 'ok');
    const second = echo(() => 'ok');
    await t.addCreature({ name: 'writer' }, { llm: writer.llm });
    await t.addCreature({ name: 'first' }, { llm: first.llm });
    await t.addCreature({ name: 'second' }, { llm: second.llm });
    t.wireOutput('writer', 'first');
    t.wireOutput('writer', 'second', { withContent: false });
    const order: string[] = [];
    t.on((e) => e.kind === 'processing_start' && e.creature !== 'writer' && order.push(String(e.creature)));
    await t.getCreature('writer')!.run('write');
    await until(() => first.seen.length === 1 && second.seen.length === 1);
    expect(order).toEqual(['first', 'second']);
    expect(first.seen[0]).toBe('[output-wire from writer] the draft');
    expect(second.seen[0]).toBe('[output-wire from writer] (turn-end signal, no content)');
    t.wireOutput('writer', 'first', { prompt: 'Review this from {source}: {content}' });
    await t.getCreature('writer')!.run('again');
    await until(() => first.seen.length === 3);
    expect(first.seen.slice(1)).toEqual(['[output-wire from writer] the draft', 'Review this from writer: the draft']);
  });

  it('refuses a wire to itself and a loop of wires; an allowed loop stops at max_hops', async () => {
    await using t = team();
    const ping = echo(() => 'ping');
    const pong = echo(() => 'pong');
    await t.addCreature({ name: 'ping' }, { llm: ping.llm });
    await t.addCreature({ name: 'pong' }, { llm: pong.llm });
    expect(() => t.wireOutput('ping', 'ping')).toThrow(/itself needs allowSelfTrigger/);
    t.wireOutput('ping', 'pong');
    expect(() => t.wireOutput('pong', 'ping')).toThrow(/closes a loop \(ping → pong → ping\)/);
    t.allowCycles = true;
    t.maxHops = 3;
    t.wireOutput('pong', 'ping');
    const stopped: EngineEvent[] = [];
    t.on((e) => e.kind === 'error' && stopped.push(e));
    await t.getCreature('ping')!.run('start');
    await until(() => stopped.length === 1);
    // start → pong (hop 1) → ping (hop 2) → pong (hop 3) → stop.
    expect(pong.seen.length + ping.seen.length).toBe(1 + 3);
    expect(String(stopped[0]!.payload.message)).toMatch(/stopped after 3 hops/);
  });

  it('privilege: members send only where they may; only privileged members change the team', async () => {
    await using t = team();
    await t.addCreature({ name: 'boss' }, { llm: echo().llm, privileged: true });
    await t.addCreature({ name: 'w1' }, { llm: echo().llm });
    await t.addCreature({ name: 'w2' }, { llm: echo().llm });
    t.addChannel('news');
    const w1 = groupControl(t, 'w1');
    expect(() => w1.send('news', 'x')).toThrow(/'w1' may not send on 'news'/);
    expect(() => w1.direct('w2', 'x')).toThrow(/may message only privileged members directly \(boss\)/);
    expect(w1.direct('boss', 'hi boss').messageId).toMatch(/^msg_/);
    await expect(w1.addNode('./x')).rejects.toThrow(/only a privileged member/);
    const boss = groupControl(t, 'boss');
    const added = await boss.addNode({ name: 'w3' } as never);
    expect(added.name).toBe('w3');
    expect(t.getCreature('w3')!.parent).toBe('boss');
    expect(boss.status().creatures.map((c) => c.name)).toEqual(['boss', 'w1', 'w2', 'w3']);
  });

  it("each member's prompt has a Team section that follows the topology", async () => {
    await using t = team();
    const a = await t.addCreature({ name: 'alpha' }, { llm: echo().llm });
    expect(a.agent.systemPrompt).toContain('You are `alpha`, one creature of the team `crew`');
    expect(a.agent.systemPrompt).toContain('You are alone in the team for now.');
    await t.addCreature({ name: 'beta' }, { llm: echo().llm });
    t.addChannel('review', { description: 'code to review' });
    t.setSend('alpha', 'review');
    expect(a.agent.systemPrompt).toContain('Other members: `beta`.');
    expect(a.agent.systemPrompt).toContain('You may send with `send_channel` to:\n- `review` — code to review');
  });

  it('subscribe filters engine events by kind and creature (AND)', async () => {
    await using t = team();
    await t.addCreature({ name: 'one' }, { llm: echo(() => 'hello there').llm });
    await t.addCreature({ name: 'two' }, { llm: echo().llm });
    const abort = new AbortController();
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (const e of t.subscribe({ kinds: ['text', 'processing_end'], creatures: ['one'] }, abort.signal)) {
        seen.push(e);
        if (e.kind === 'processing_end') abort.abort();
      }
    })();
    await t.getCreature('two')!.run('ignored');
    await t.getCreature('one')!.run('hi');
    await reading;
    expect(seen.map((e) => e.kind)).toContain('text');
    expect(seen.every((e) => e.creature === 'one')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ kind: 'processing_end', payload: { status: 'completed', text: 'hello there' } });
  });

  it('chat() streams the answer text', async () => {
    await using t = team();
    const m = await t.addCreature({ name: 'talker' }, { llm: new ScriptedLLM([{ text: 'a long enough answer', chunkSize: 4 }]) });
    const chunks: string[] = [];
    for await (const chunk of m.chat('hi')) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('a long enough answer');
  });

  it("a relative creature reference is found from the team's working directory, not the process's", async () => {
    await using t = team();
    mkdirSync(join(t.pwd, 'mate'));
    writeFileSync(join(t.pwd, 'mate', 'config.yaml'), 'name: mate\nsystem_prompt: I help.\n');
    const mate = await t.addCreature('./mate');
    expect(mate.name).toBe('mate');
  });
});
