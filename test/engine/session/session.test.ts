/**
 * A creature's session file: everything it does is logged, the log rebuilds
 * its conversation exactly, and building it again on the same file resumes
 * where it stopped — across regenerations and edits too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { scratchpadOf } from '../../../source/engine/creature/scratchpad.js';
import { SessionError } from '../../../source/engine/errors.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { readCreatureState } from '../../../source/engine/session/restore.js';
import { FORMAT_VERSION } from '../../../source/engine/session/schema.js';
import Database from 'better-sqlite3';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';
import { until } from '../../helpers/until.js';

const add = tool({ name: 'add', description: 'Add.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });

// Keeps a note in the creature's scratchpad, as a planning tool would.
const note = tool({
  name: 'note',
  description: 'Remember a note.',
  input: z.object({ key: z.string(), value: z.string() }),
  execute: ({ key, value }, ctx) => {
    scratchpadOf(ctx.session).set(key, value);
    return 'noted';
  },
});

const dir = () => mkdtempSync(join(tmpdir(), 'kt-session-'));

async function creature(session: string, script: ScriptStep[]) {
  return Agent.build({ name: 'keeper', system_prompt: 'You keep things.' }, { llm: new ScriptedLLM(script), tools: [add, note], catalog: new ToolCatalog(), pwd: dir(), session });
}

function replayed(path: string): Message[] {
  const store = SessionStore.open(path, { readonly: true });
  try {
    return readCreatureState(store, 'keeper').messages;
  } finally {
    store.close();
  }
}

describe('session files', () => {
  it('logs every event and rebuilds the exact conversation from the log', async () => {
    const path = join(dir(), 'one.kohakutr');
    const agent = await creature(path, [
      { text: 'Adding.', toolCalls: [{ id: 'c1', name: 'add', args: { a: 1, b: 2 } }, { id: 'c2', name: 'nope', args: {} }], usage: { input: 10, output: 3, cached: 0 } },
      { text: 'It is 3.', usage: { input: 20, output: 4, cached: 5 } },
      { text: 'Second answer.', usage: { input: 30, output: 5, cached: 0 } },
    ]);
    const seen: string[] = [];
    agent.on((e) => seen.push(e.type));
    await agent.run('1 + 2?');
    await agent.run('and now?');
    const live = [...agent.messages];
    await agent.stop();

    const store = SessionStore.open(path, { readonly: true });
    expect(store.meta).toMatchObject({ sessionId: agent.sessionId, kind: 'agent', agents: ['keeper'], turns: 2, firstPrompt: '1 + 2?', formatVersion: FORMAT_VERSION });
    const types = [...store.events()].map((s) => s.event.type);
    // Consecutive deltas of a step are stored as one (same text, joined).
    expect(types).toEqual(seen.filter((type, i) => !(type.endsWith('.delta') && seen[i + 1] === type)));
    const turnStart = [...store.events({ types: ['turn.start'] })][1]!;
    expect(turnStart).toMatchObject({ turn: 2, branch: 1, event: { turnId: 'turn_2', sessionId: agent.sessionId, creatureId: agent.creatureId } });
    store.close();
    expect(replayed(path)).toEqual(live);
  });

  it('resumes: same conversation, turn numbering, totals and event numbering continue', async () => {
    const path = join(dir(), 'resume.kohakutr');
    const first = await creature(path, [
      { toolCalls: [{ id: 'n1', name: 'note', args: { key: 'plan', value: 'step 2 next' } }], usage: { input: 2, output: 1, cached: 0 } },
      { text: 'hello', usage: { input: 3, output: 0, cached: 0 } },
    ]);
    let lastSeq = 0;
    first.on((e) => (lastSeq = e.seq));
    await first.run('hi');
    const before = [...first.messages];
    await first.stop();
    expect(lastSeq).toBeGreaterThan(5);

    const llm = new ScriptedLLM([{ text: 'again', usage: { input: 7, output: 2, cached: 0 } }]);
    const second = await Agent.build({ name: 'keeper', system_prompt: 'You keep things.' }, { llm, tools: [add], catalog: new ToolCatalog(), pwd: dir(), session: path });
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.messages).toEqual(before);
    expect(second.turns).toBe(1);
    expect(Object.fromEntries(second.scratchpad)).toEqual({ plan: 'step 2 next' });
    const events: number[] = [];
    second.on((e) => events.push(e.seq));
    const result = await second.run('more');
    expect(result.turnId).toBe('turn_2');
    expect(second.usage).toEqual({ input: 12, output: 3, cached: 0 });
    expect(Math.min(...events)).toBeGreaterThan(lastSeq);
    // The model saw the earlier turn.
    expect(llm.calls[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    await second.stop();
    expect(replayed(path)).toEqual([...before, { role: 'user', content: 'more' }, { role: 'assistant', content: 'again' }]);
    expect(before.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
  });

  it('regenerate and edit make sibling branches; replay follows the live path; the log keeps all', async () => {
    const path = join(dir(), 'branches.kohakutr');
    const agent = await creature(path, [{ text: 'A1' }, { text: 'A2' }, { text: 'A2 again' }, { text: 'B1' }, { text: 'B2' }]);
    await agent.run('q1');
    await agent.run('q2');
    const regen = await agent.regenerate();
    expect(regen).toMatchObject({ turnId: 'turn_2.2', text: 'A2 again' });
    expect(agent.livePath).toEqual([1, 2]);
    const edited = await agent.editTurn(1, 'q1 edited');
    expect(edited).toMatchObject({ turnId: 'turn_1.2', text: 'B1' });
    await agent.run('q2 after edit');
    // Branch numbers count per turn index across the whole tree: turn 2 already had branches 1 and 2.
    expect(agent.livePath).toEqual([2, 3]);
    const live = [...agent.messages];
    expect(live.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual(['q1 edited', 'B1', 'q2 after edit', 'B2']);
    await agent.stop();

    expect(replayed(path)).toEqual(live);
    const store = SessionStore.open(path, { readonly: true });
    const starts = [...store.events({ types: ['turn.start'] })].map((s) => [s.turn, s.branch, s.event.type === 'turn.start' ? s.event.parentBranch : -1]);
    expect(starts).toEqual([
      [1, 1, undefined],
      [2, 1, 1],
      [2, 2, 1],
      [1, 2, undefined],
      [2, 3, 2],
    ]);
    store.close();

    const resumed = await creature(path, [{ text: 'C' }]);
    expect(resumed.messages).toEqual(live);
    expect(resumed.livePath).toEqual([2, 3]);
    await resumed.regenerate();
    expect(resumed.livePath).toEqual([2, 4]);
    await resumed.stop();
  });

  it('a snapshot plus the events after it gives the same state as a full replay', async () => {
    const path = join(dir(), 'snap.kohakutr');
    const agent = await creature(path, [{ text: 'one' }, { toolCalls: [{ id: 't', name: 'add', args: { a: 2, b: 2 } }] }, { text: 'four' }]);
    await agent.run('first');
    await agent.stop(); // closing snapshots
    const again = await creature(path, [{ toolCalls: [{ id: 't', name: 'add', args: { a: 2, b: 2 } }] }, { text: 'four' }]);
    await again.run('second');
    const live = [...again.messages];
    await again.stop();
    const store = SessionStore.open(path);
    const snapshot = store.loadSnapshot(again.creatureId)!;
    expect(snapshot.messages).toEqual(live);
    // Move the snapshot back to the first turn: the tail after it must be replayed.
    const early = [...store.events({ types: ['turn.end'] })][0]!.id;
    store.saveSnapshot('keeper', { eventId: early, turns: snapshot.turns.slice(0, 1), messages: live.slice(0, 3) });
    expect(readCreatureState(store, 'keeper').messages).toEqual(live);
    store.close();
  });

  it('refuses a file that is not a session, a damaged one, or a newer format — and leaves it untouched', async () => {
    const folder = dir();
    const text = join(folder, 'notes.kohakutr');
    writeFileSync(text, 'just some text, not a database');
    expect(() => SessionStore.open(text)).toThrow(SessionError);
    expect(() => SessionStore.open(text)).toThrow(/notes\.kohakutr: not an SQLite database/);
    expect(readFileSync(text, 'utf8')).toBe('just some text, not a database');

    const other = join(folder, 'other.kohakutr');
    const db = new Database(other);
    db.exec('CREATE TABLE things (x)');
    db.close();
    expect(() => SessionStore.open(other)).toThrow(/is an SQLite file but not a KohakuTerrarium session/);

    const path = join(folder, 'future.kohakutr');
    const agent = await creature(path, [{ text: 'x' }]);
    await agent.run('x');
    await agent.stop();
    const raw = new Database(path);
    raw.prepare("UPDATE meta SET value = '9' WHERE key = 'formatVersion'").run();
    raw.close();
    const before = readFileSync(path);
    expect(() => SessionStore.open(path)).toThrow(new RegExp(`uses session format 9; this kt reads formats up to ${FORMAT_VERSION}`));
    expect(readFileSync(path).equals(before)).toBe(true);

    const truncated = join(folder, 'cut.kohakutr');
    writeFileSync(truncated, before.subarray(0, 100));
    expect(() => SessionStore.open(truncated)).toThrow(SessionError);
  });

  it('a reader sees committed turns while the creature is still writing, and never blocks it', async () => {
    const path = join(dir(), 'live.kohakutr');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = tool({ name: 'slow', description: 'Waits.', input: z.object({}), execute: async () => (await gate, 'done') });
    const agent = await Agent.build(
      { name: 'keeper' },
      { llm: new ScriptedLLM([{ text: 'first' }, { toolCalls: [{ id: 's1', name: 'slow', args: {} }] }, { text: 'second' }]), tools: [slow], catalog: new ToolCatalog(), pwd: dir(), session: path },
    );
    await agent.run('one');
    const running = agent.run('two');
    // Mid-tool (the tool is held); the recorder commits on a timer, so wait until its commit is visible.
    await until(() => {
      using peek = new SessionReader(path);
      return peek.turns()[1]?.toolCalls.length === 1;
    }, 'the running tool call to be committed');
    {
      using reader = new SessionReader(path);
      expect(reader.turns().map((t) => [t.userText, t.assistantText, t.status])).toEqual([
        ['one', 'first', 'completed'],
        ['two', '', undefined],
      ]);
      expect(reader.turns()[1]!.toolCalls).toEqual([{ callId: 's1', name: 'slow', args: {}, error: false }]);
      release();
      await running;
    }
    await agent.stop();
    using after = new SessionReader(path);
    expect(after.turns().map((t) => t.assistantText)).toEqual(['first', 'second']);
  });

  it('many creatures with sessions in one process share one exit handler', async () => {
    const before = process.listenerCount('exit');
    const folder = dir();
    const agents = await Promise.all(Array.from({ length: 12 }, (_, i) => creature(join(folder, `c${i}.kohakutr`), [{ text: 'x' }])));
    expect(process.listenerCount('exit')).toBe(before + 1);
    await Promise.all(agents.map((a) => a.stop()));
    expect(process.listenerCount('exit')).toBe(before);
  });

  it("refuses to resume another creature's session", async () => {
    const path = join(dir(), 'mine.kohakutr');
    const agent = await creature(path, [{ text: 'x' }]);
    await agent.run('x');
    await agent.stop();
    await expect(Agent.build({ name: 'intruder' }, { llm: new ScriptedLLM([]), catalog: new ToolCatalog(), session: path })).rejects.toThrow(
      /is a session of keeper, not of intruder/,
    );
  });
});
