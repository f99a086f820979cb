/**
 * Streamed text is stored once: merged deltas hold it, and step.end,
 * turn.end and snapshots refer to them. Reading gives back every event's
 * text exactly — across flushes in mid-stream, retries, interleaved
 * sub-agents, resumes, strings that look like references, and older files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent, EventOf } from '../../../source/engine/events.js';
import { forkSession } from '../../../source/engine/session/fork.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { FORMAT_VERSION } from '../../../source/engine/session/schema.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-text-refs-'));
const MARKER = '\u0000kt-text:1';

/** Distinct filler of `n` characters (so texts never collide by accident). */
const filler = (tag: string, n: number) => `${tag}: ${'abcdefghij'.repeat(Math.ceil(n / 10))}`.slice(0, n);

function newStore(path: string): SessionStore {
  return SessionStore.create(path, { sessionId: 's1', kind: 'agent', configRef: '<inline>', pwd: '/', createdAt: 1, lastActive: 1, agents: ['w'], turns: 0 });
}

/** Events as a creature would emit them, numbered in order. */
function emitter(store: SessionStore) {
  let seq = 0;
  const emit = (type: string, fields: Record<string, unknown>, agentPath = ['w']) => {
    seq++;
    store.append({ type, seq, ts: 1000 + seq, sessionId: 's1', creatureId: agentPath.join('/'), turnId: 'turn_1', agentPath, ...fields } as unknown as AgentEvent, { turn: 1, branch: 1 });
  };
  return Object.assign(emit, { count: () => seq });
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function rawPayloads(path: string, type: string): string[] {
  const store = SessionStore.open(path, { readonly: true });
  try {
    return store.use((db) => (db.prepare('SELECT payload FROM events WHERE type = ? ORDER BY id').all(type) as Array<{ payload: string }>).map((r) => r.payload));
  } finally {
    store.close();
  }
}

const stepEnd = (step: number, text: string, reasoning?: string) => ({
  step,
  text,
  toolCalls: [],
  ...(reasoning ? { reasoning } : {}),
  finishReason: 'stop',
  model: 'm',
  usage: { input: 1, output: 1, cached: 0 },
  timings: { ttftMs: 1, modelMs: 1, toolsMs: 0, overheadMs: 0 },
});

describe('text stored once', () => {
  it('merges deltas, refers to them from step.end and turn.end, and reads every event back exactly', () => {
    const path = join(dir(), 'refs.kohakutr');
    const store = newStore(path);
    const emit = emitter(store);
    const reasoning = filler('thinking', 2000);
    const discarded = filler('lost to a retry', 900);
    const answer = filler('the answer', 5000);
    const helper = filler('a sub-agent', 1500);

    emit('turn.start', { turnIndex: 1, branch: 1, input: 'go' });
    for (const part of chunks(discarded, 13)) emit('text.delta', { step: 1, text: part });
    // A retry discards what the attempt streamed; the next attempt streams again from the start.
    emit('llm.retry', { step: 1, attempt: 1, maxRetries: 3, delayMs: 0, errorClass: 'server', message: 'boom', discardedChars: discarded.length });
    for (const part of chunks(reasoning, 17)) emit('reasoning.delta', { step: 1, text: part });
    const parts = chunks(answer, 11);
    const helperParts = chunks(helper, 100);
    parts.forEach((part, i) => {
      emit('text.delta', { step: 1, text: part });
      // A sub-agent streams in between, and the timer flushes in mid-stream.
      if (i % 29 === 0 && helperParts.length > 1) emit('text.delta', { step: 1, text: helperParts.shift() }, ['w', 'helper']);
      if (i % 151 === 0) store.flush();
    });
    emit('step.end', stepEnd(1, answer, reasoning));
    emit('text.delta', { step: 1, text: helperParts.shift() }, ['w', 'helper']);
    emit('step.end', stepEnd(1, helper), ['w', 'helper']);
    emit('turn.end', { turnIndex: 1, status: 'done', text: answer, usage: { input: 1, output: 1, cached: 0 }, steps: 1, toolCalls: 0, durationMs: 1 });
    const emitted = emit.count();
    store.close();

    // Stored once: the events that repeat the text are small, the deltas fewer.
    for (const payload of rawPayloads(path, 'step.end')) expect(payload.length).toBeLessThan(600);
    for (const payload of rawPayloads(path, 'turn.end')) expect(payload.length).toBeLessThan(600);
    expect(rawPayloads(path, 'text.delta').length).toBeLessThan(parts.length / 5);

    using reader = new SessionReader(path);
    const events = [...reader.events()];
    const mine = (e: AgentEvent) => e.agentPath.length === 1;
    const joined = (type: string, keep: (e: AgentEvent) => boolean) =>
      events.filter((e) => e.type === type && keep(e)).map((e) => (e as EventOf<'text.delta'>).text).join('');
    // The visible stream is unchanged: what was discarded by the retry is still there, before the retry.
    expect(joined('text.delta', mine)).toBe(discarded + answer);
    expect(joined('reasoning.delta', mine)).toBe(reasoning);
    expect(joined('text.delta', (e) => !mine(e))).toBe(helper);
    const retryAt = events.findIndex((e) => e.type === 'llm.retry');
    expect(joined('text.delta', (e) => mine(e) && events.indexOf(e as (typeof events)[number]) < retryAt)).toBe(discarded);
    const ends = events.filter((e) => e.type === 'step.end') as Array<EventOf<'step.end'>>;
    expect(ends.map((e) => [e.text, e.reasoning])).toEqual([
      [answer, reasoning],
      [helper, undefined],
    ]);
    expect((events.find((e) => e.type === 'turn.end') as EventOf<'turn.end'>).text).toBe(answer);
    // Seq and ts stay in order, and the highest seq (a resume continues from it) is kept.
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(Math.max(...seqs)).toBe(emitted);
  });

  it('a long string an event holds itself is referred to by later events and snapshots, also after reopening', () => {
    const path = join(dir(), 'fields.kohakutr');
    const store = newStore(path);
    const emit = emitter(store);
    const input = filler('a pasted document', 4000);
    const output = filler('a large tool output', 6000);
    // In a text tool-call format the deltas show only prose, so the answer is not their concatenation.
    const answer = filler('an answer with a call block', 5000);
    emit('turn.start', { turnIndex: 1, branch: 1, input });
    emit('text.delta', { step: 1, text: 'prose only' });
    emit('tool.result', { callId: 'c1', name: 'read', output, isError: false, step: 1 });
    emit('step.end', stepEnd(1, answer));
    emit('turn.end', { turnIndex: 1, status: 'done', text: answer, usage: { input: 1, output: 1, cached: 0 }, steps: 1, toolCalls: 1, durationMs: 1 });
    store.close();
    const messages = [
      { role: 'system' as const, content: 'sys' },
      { role: 'user' as const, content: input },
      { role: 'assistant' as const, content: answer },
      { role: 'tool' as const, toolCallId: 'c1', name: 'read', content: output },
    ];

    // Reopened for writing (a resume), the log is read back, then a snapshot is taken.
    const again = SessionStore.open(path);
    const events = [...again.events()];
    again.saveSnapshot('w', { eventId: events.at(-1)!.id, turns: [], messages });
    again.close();

    expect(rawPayloads(path, 'turn.end')[0]!.length).toBeLessThan(400);
    const reader = SessionStore.open(path, { readonly: true });
    const raw = reader.use((db) => db.prepare("SELECT messages FROM snapshots WHERE creature = 'w'").get() as { messages: string });
    expect(raw.messages.length).toBeLessThan(500);
    expect(reader.loadSnapshot('w')?.messages).toEqual(messages);
    const read = [...reader.events()].map((s) => s.event);
    expect((read.find((e) => e.type === 'turn.end') as EventOf<'turn.end'>).text).toBe(answer);
    expect((read.find((e) => e.type === 'step.end') as EventOf<'step.end'>).text).toBe(answer);
    expect((read.find((e) => e.type === 'tool.result') as EventOf<'tool.result'>).output).toBe(output);
    expect((read.find((e) => e.type === 'turn.start') as EventOf<'turn.start'>).input).toBe(input);
    reader.close();

    // A snapshot refers only into the log it covers: forked at its event, the copy still loads it.
    const early = SessionStore.open(path);
    [...early.events()];
    early.saveSnapshot('w', { eventId: 1, turns: [], messages });
    early.close();
    const copy = join(dir(), 'fork.kohakutr');
    forkSession(path, copy, { upTo: 1 });
    const forked = SessionStore.open(copy, { readonly: true });
    expect(forked.loadSnapshot('w')?.messages).toEqual(messages);
    forked.close();
  });

  it('a long string of a known length but other content is stored whole; so is one of no known length', () => {
    const path = join(dir(), 'lengths.kohakutr');
    const store = newStore(path);
    const emit = emitter(store);
    const output = filler('a tool output', 3000);
    // Same length as the tool output, other text: the lookup hashes it and finds nothing.
    const lookalike = filler('other content', 3000);
    const unrelated = filler('an unrelated note', 1234);
    emit('turn.start', { turnIndex: 1, branch: 1, input: 'go' });
    emit('tool.result', { callId: 'c1', name: 'read', output, isError: false, step: 1 });
    const messages = [
      { role: 'user' as const, content: lookalike },
      { role: 'assistant' as const, content: unrelated },
      { role: 'tool' as const, toolCallId: 'c1', name: 'read', content: output },
    ];
    store.close();
    const again = SessionStore.open(path);
    const events = [...again.events()];
    again.saveSnapshot('w', { eventId: events.at(-1)!.id, turns: [], messages });
    again.close();
    const reader = SessionStore.open(path, { readonly: true });
    const raw = reader.use((db) => db.prepare("SELECT messages FROM snapshots WHERE creature = 'w'").get() as { messages: string });
    // The lookalike and the note are inline; only the output became a reference.
    expect(raw.messages).toContain(lookalike);
    expect(raw.messages).toContain(unrelated);
    expect(raw.messages).not.toContain(output);
    expect(reader.loadSnapshot('w')?.messages).toEqual(messages);
    reader.close();
  });

  it('strings that look like references are stored as they are', () => {
    const path = join(dir(), 'marker.kohakutr');
    const store = newStore(path);
    const emit = emitter(store);
    const long = `${MARKER}${filler('x', 700)}`;
    emit('turn.start', { turnIndex: 1, branch: 1, input: MARKER });
    emit('text.delta', { step: 1, text: MARKER });
    emit('text.delta', { step: 1, text: long });
    emit('tool.result', { callId: 'c', name: 'n', output: MARKER, isError: false, step: 1 });
    // The marker inside a string (not at its start) is no reference: stored and read back as it is.
    const inside = `see ${MARKER}`;
    emit('tool.call', { callId: 'd', name: 'n', args: { note: inside }, step: 1, background: false });
    emit('tool.result', { callId: 'd', name: 'n', output: inside, isError: false, step: 1 });
    emit('step.end', stepEnd(1, MARKER + long));
    store.saveSnapshot('w', { eventId: 1, turns: [], messages: [{ role: 'user', content: MARKER }, { role: 'assistant', content: MARKER + long }] });
    store.close();
    using reader = new SessionReader(path);
    const events = [...reader.events()];
    expect((events[0] as EventOf<'turn.start'>).input).toBe(MARKER);
    expect((events[1] as EventOf<'text.delta'>).text).toBe(MARKER + long);
    expect((events[2] as EventOf<'tool.result'>).output).toBe(MARKER);
    expect((events[3] as EventOf<'tool.call'>).args).toEqual({ note: inside });
    expect((events[4] as EventOf<'tool.result'>).output).toBe(inside);
    expect((events[5] as EventOf<'step.end'>).text).toBe(MARKER + long);
    for (const type of ['tool.call', 'tool.result']) expect(rawPayloads(path, type).at(-1)).not.toContain('kt-lit');
    const again = SessionStore.open(path, { readonly: true });
    expect(again.loadSnapshot('w')?.messages).toEqual([{ role: 'user', content: MARKER }, { role: 'assistant', content: MARKER + long }]);
    again.close();
  });

  it('a resumed conversation snapshots by reference too, and replays exactly', async () => {
    const path = join(dir(), 'resume.kohakutr');
    const build = (text: string) =>
      Agent.build({ name: 'w', system_prompt: 'Write.' }, { llm: new ScriptedLLM([{ text, chunkSize: 7 }]), tools: [], catalog: new ToolCatalog(), pwd: dir(), session: path });
    const first = filler('first answer', 40_000);
    const second = filler('second answer', 30_000);
    const a = await build(first);
    await a.run('one');
    await a.stop();
    const b = await build(second);
    await b.run('two');
    const live = [...b.messages];
    await b.stop();

    const store = SessionStore.open(path, { readonly: true });
    const raw = store.use((db) => db.prepare('SELECT messages FROM snapshots WHERE creature = ?').get(b.creatureId) as { messages: string });
    expect(raw.messages.length).toBeLessThan(2000);
    expect(store.loadSnapshot(b.creatureId)?.messages).toEqual(live);
    store.close();
    using reader = new SessionReader(path);
    expect(reader.conversation('w')).toEqual(live);
    expect(reader.turns('w').map((t) => t.assistantText)).toEqual([first, second]);
    expect(reader.meta.formatVersion).toBe(FORMAT_VERSION);
  });

  it('deltas merge as they are queued: every event counts, the events appended stay as they were, a step that grows long over several flushes is still referred to', () => {
    const path = join(dir(), 'queued.kohakutr');
    const store = newStore(path);
    const appended: AgentEvent[] = [];
    let seq = 0;
    const emit = (type: string, fields: Record<string, unknown>) => {
      const event = { type, seq: ++seq, ts: 1000 + seq, sessionId: 's1', creatureId: 'w', turnId: 'turn_1', agentPath: ['w'], ...fields } as unknown as AgentEvent;
      appended.push(event);
      store.append(event, { turn: 1, branch: 1 });
    };
    const short = 'a short step';
    const long = filler('grows long slowly', 900);
    emit('turn.start', { turnIndex: 1, branch: 1, input: 'go' });
    for (const part of chunks(short, 3)) emit('text.delta', { step: 1, text: part });
    expect(store.unflushed).toBe(1 + chunks(short, 3).length);
    emit('step.end', stepEnd(1, short));
    store.flush();
    expect(store.unflushed).toBe(0);
    // 900 characters in 30-character pieces, flushed every 4: no flush alone holds 512 of them.
    chunks(long, 30).forEach((part, i) => {
      emit('text.delta', { step: 2, text: part });
      if (i % 4 === 3) store.flush();
    });
    emit('step.end', stepEnd(2, long));
    store.close();

    expect(appended.filter((e) => e.type === 'text.delta').map((e) => (e as EventOf<'text.delta'>).text).join('')).toBe(short + long);
    const ends = rawPayloads(path, 'step.end');
    expect(ends[0]).toContain(JSON.stringify(short));
    expect(ends[1]!.length).toBeLessThan(400);
    expect(rawPayloads(path, 'text.delta')).toHaveLength(1 + Math.ceil(chunks(long, 30).length / 4));
    using reader = new SessionReader(path);
    const events = [...reader.events()];
    expect(events.filter((e) => e.type === 'step.end').map((e) => (e as EventOf<'step.end'>).text)).toEqual([short, long]);
    expect(events.filter((e) => e.type === 'text.delta').map((e) => (e as EventOf<'text.delta'>).text).join('')).toBe(short + long);
    expect(events.at(-1)?.seq).toBe(seq);
  });

  it('an older file keeps its format version until a reference is written to it', () => {
    const path = join(dir(), 'old.kohakutr');
    const store = newStore(path);
    store.updateMeta({ formatVersion: 1 });
    const emit = emitter(store);
    emit('turn.start', { turnIndex: 1, branch: 1, input: 'hi' });
    emit('text.delta', { step: 1, text: 'short' });
    emit('step.end', stepEnd(1, 'short'));
    store.flush();
    expect(store.meta.formatVersion).toBe(1);
    const long = filler('long', 3000);
    for (const part of chunks(long, 50)) emit('text.delta', { step: 2, text: part });
    emit('step.end', stepEnd(2, long));
    store.close();
    using reader = new SessionReader(path);
    expect(reader.meta.formatVersion).toBe(FORMAT_VERSION);
    expect(([...reader.events({ types: ['step.end'] })] as Array<EventOf<'step.end'>>).map((e) => e.text)).toEqual(['short', long]);
  });
});

describe('events without their envelope', () => {
  it('gives each event as stored with only type, ts and agentPath added, references resolved', () => {
    const path = join(dir(), 'bare.kohakutr');
    const store = newStore(path);
    const emit = emitter(store);
    const answer = filler('the answer', 3000);
    emit('turn.start', { turnIndex: 1, branch: 1, input: 'go' });
    for (const part of chunks(answer, 40)) emit('text.delta', { step: 1, text: part });
    emit('step.end', stepEnd(1, answer));
    emit('step.end', stepEnd(1, 'from the helper'), ['w', 'helper']);
    store.flush();
    const envelope = new Set(['seq', 'sessionId', 'creatureId', 'turnId']);
    const full = [...store.events({ skipTypes: ['text.delta'] })].map(({ event, ...rest }) => ({
      ...rest,
      event: Object.fromEntries(Object.entries(event).filter(([key]) => !envelope.has(key))),
    }));
    const bare = [...store.events({ skipTypes: ['text.delta'], envelope: false })];
    expect(bare).toEqual(full);
    expect((bare[1]!.event as EventOf<'step.end'>).text).toBe(answer);
    expect(bare.map((e) => e.event.agentPath)).toEqual([['w'], ['w'], ['w', 'helper']]);
    store.close();
  });
});
