import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../source/engine/events.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { findBoundary } from '../../../source/engine/compaction/boundary.js';
import { Compactor, type CompactorDeps, type SummaryRequest } from '../../../source/engine/compaction/compactor.js';
import { compactionSettings, summaryTokenCap } from '../../../source/engine/compaction/settings.js';
import { applySplice } from '../../../source/engine/compaction/splice.js';
import { formatZone } from '../../../source/engine/compaction/zone.js';

const system: Message = { role: 'system', content: 'You are helpful.' };

/** `turns` user/assistant pairs after the system message. */
function chat(turns: number, tag = 't'): Message[] {
  const out: Message[] = [system];
  for (let i = 1; i <= turns; i++) out.push({ role: 'user', content: `${tag}${i} question` }, { role: 'assistant', content: `${tag}${i} answer` });
  return out;
}

/** A summary model the test answers by hand. */
function gatedModel() {
  const calls: Array<{ request: SummaryRequest; resolve: (text: string) => void; reject: (e: Error) => void; signal: AbortSignal }> = [];
  let notify: (() => void) | undefined;
  return {
    calls,
    summarize(request: SummaryRequest, signal: AbortSignal): Promise<string> {
      return new Promise((resolve, reject) => {
        calls.push({ request, resolve, reject, signal });
        signal.addEventListener('abort', () => reject(new Error('aborted')));
        notify?.();
      });
    },
    nextCall(): Promise<void> {
      return calls.length ? Promise.resolve() : new Promise((r) => (notify = r));
    },
  };
}

function harness(initial: Message[], overrides: Partial<CompactorDeps> = {}, config = {}) {
  let messages = initial;
  let now = 1_000_000;
  const events: EventDraft[] = [];
  const model = gatedModel();
  const compactor = new Compactor({
    settings: compactionSettings({ keep_recent_turns: 2, ...config }, 1000),
    messages: () => messages,
    summarize: (r, s) => model.summarize(r, s),
    apply: (_edit, next) => (messages = next),
    emit: (d) => events.push(d),
    now: () => now,
    ...overrides,
  });
  return {
    compactor,
    model,
    events,
    get messages() {
      return messages;
    },
    push: (...m: Message[]) => (messages = [...messages, ...m]),
    set: (m: Message[]) => (messages = m),
    advance: (ms: number) => (now += ms),
  };
}

describe('findBoundary', () => {
  it('keeps the last keepRecentTurns user turns', () => {
    const messages = chat(5);
    expect(findBoundary(messages, 2)).toEqual({ ok: true, index: 7 });
    expect(messages[7]).toEqual({ role: 'user', content: 't4 question' });
  });

  it('is too short when nothing but the system message would be summarised', () => {
    expect(findBoundary(chat(2), 2)).toEqual({ ok: false, reason: 'too_short' });
    expect(findBoundary(chat(3), 8)).toEqual({ ok: false, reason: 'too_short' });
  });

  it('keeps half of a long conversation with few user turns, never starting on tool results', () => {
    const messages: Message[] = [system, { role: 'user', content: 'do it' }];
    for (let i = 0; i < 4; i++) {
      messages.push({ role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'read', arguments: '{}' }] });
      messages.push({ role: 'tool', toolCallId: `c${i}`, name: 'read', content: 'x' });
    }
    // 10 messages, one user turn: keep 5 → index 5 is a tool result, so the cut moves to 6.
    const boundary = findBoundary(messages, 8);
    expect(boundary).toEqual({ ok: true, index: 6 });
    expect(messages[6]?.role).toBe('assistant');
  });
});

describe('formatZone', () => {
  it('writes role blocks, shows tool calls, and cuts long tool output', () => {
    const text = formatZone([
      { role: 'user', content: 'fix it' },
      { role: 'assistant', content: 'looking', toolCalls: [{ id: 'a', name: 'grep', arguments: '{"pattern":"TODO"}' }] },
      { role: 'tool', toolCallId: 'a', name: 'grep', content: 'y'.repeat(1200), isError: true },
    ]);
    expect(text).toContain('[user]: fix it');
    expect(text).toContain('[assistant]: looking\n[assistant called]: grep({"pattern":"TODO"})');
    expect(text).toContain(`[tool grep, failed]: ${'y'.repeat(500)}… (1200 chars total)`);
  });
});

describe('settings', () => {
  it('honours every compact key, with the defaults of the reference', () => {
    expect(compactionSettings(undefined, undefined)).toEqual({ enabled: true, maxTokens: 256_000, threshold: 0.8, keepRecentTurns: 8, cooldownMs: 30_000 });
    expect(compactionSettings({ enabled: false, max_tokens: 16_000, threshold: 0.5, keep_recent_turns: 3, cooldown_seconds: 0, compact_model: 'openai/mini' }, 200_000)).toEqual({
      enabled: false,
      maxTokens: 16_000,
      threshold: 0.5,
      keepRecentTurns: 3,
      cooldownMs: 0,
      compactModel: 'openai/mini',
    });
    expect(summaryTokenCap(16_000)).toBe(512);
    expect(summaryTokenCap(200_000)).toBe(3125);
    expect(summaryTokenCap(1_000_000)).toBe(4096);
  });
});

describe('Compactor', () => {
  it('does nothing below the threshold or when disabled', async () => {
    const h = harness(chat(6));
    expect(await h.compactor.check(799)).toEqual({ started: false, reason: 'below_threshold' });
    const off = harness(chat(6), {}, { enabled: false });
    expect(await off.compactor.check(5000)).toEqual({ started: false, reason: 'disabled' });
  });

  it('summarises in the background and splices, keeping messages appended meanwhile', async () => {
    const h = harness(chat(6));
    const decision = await h.compactor.check(900);
    expect(decision).toMatchObject({ started: true, round: 1, messages: 8 });
    await h.model.nextCall();
    expect(h.model.calls[0]?.request.prompt).toContain('[user]: t1 question');
    expect(h.model.calls[0]?.request.prompt).not.toContain('t5 question');
    expect(h.model.calls[0]?.request.maxTokens).toBe(512);
    // The creature goes on while the summary is written.
    h.push({ role: 'user', content: 'new question' }, { role: 'assistant', content: 'new answer' });
    expect(await h.compactor.check(950)).toEqual({ started: false, reason: 'busy' });
    h.model.calls[0]?.resolve('## Current Goal\nanswer questions');
    const outcome = decision.started ? await decision.done : undefined;
    expect(outcome?.status).toBe('done');
    expect(h.messages.map((m) => (typeof m.content === 'string' ? m.content.split('\n')[0] : ''))).toEqual([
      'You are helpful.',
      '[Previous context summary (compact round 1)]',
      't5 question',
      't5 answer',
      't6 question',
      't6 answer',
      'new question',
      'new answer',
    ]);
    expect(h.events.map((e) => e.type)).toEqual(['compaction.start', 'compaction.end']);
    expect(h.events[1]).toMatchObject({ status: 'done', messagesCompacted: 8, round: 1 });
  });

  it('replay of the logged edit gives the same conversation', async () => {
    const h = harness(chat(6));
    const before = h.messages;
    const decision = await h.compactor.check(900);
    await h.model.nextCall();
    h.model.calls[0]?.resolve('summary text');
    if (decision.started) await decision.done;
    const end = h.events.find((e) => e.type === 'compaction.end');
    if (end?.type !== 'compaction.end') throw new Error('no end event');
    expect(applySplice(before, end)).toEqual(h.messages);
  });

  it('waits out the cooldown after a compaction, and stacks summaries', async () => {
    const h = harness(chat(6), {}, { cooldown_seconds: 30 });
    const first = await h.compactor.check(900);
    await h.model.nextCall();
    h.model.calls[0]?.resolve('first summary');
    if (first.started) await first.done;
    h.push(...chat(4, 'u').slice(1));
    expect(await h.compactor.check(900)).toEqual({ started: false, reason: 'cooldown' });
    h.advance(30_000);
    const second = await h.compactor.check(900);
    expect(second).toMatchObject({ started: true, round: 2 });
    await h.model.nextCall();
    expect(h.model.calls[1]?.request.prompt).toContain('[Previous context summary (compact round 1)]');
    h.model.calls[1]?.resolve('second summary');
    if (second.started) await second.done;
    expect(h.messages[1]).toEqual({ role: 'user', content: '[Previous context summary (compact round 2)]\n\nsecond summary' });
    expect(h.compactor.rounds).toBe(2);
  });

  it('leaves the conversation alone when the summary fails or is empty', async () => {
    for (const answer of [new Error('model down'), '   ']) {
      const h = harness(chat(6));
      const before = h.messages;
      const decision = await h.compactor.check(900);
      await h.model.nextCall();
      if (answer instanceof Error) h.model.calls[0]?.reject(answer);
      else h.model.calls[0]?.resolve(answer);
      const outcome = decision.started ? await decision.done : undefined;
      expect(outcome?.status).toBe('failed');
      expect(h.messages).toBe(before);
      expect(h.events[1]).toMatchObject({ type: 'compaction.end', status: 'failed' });
    }
  });

  it('does not splice into a conversation rewound meanwhile', async () => {
    const h = harness(chat(6));
    const decision = await h.compactor.check(900);
    await h.model.nextCall();
    h.set(chat(6, 'other'));
    h.model.calls[0]?.resolve('summary');
    const outcome = decision.started ? await decision.done : undefined;
    expect(outcome).toEqual({ status: 'failed', error: 'the conversation was rewound while the summary was written' });
    expect(h.messages[1]).toEqual({ role: 'user', content: 'other1 question' });
  });

  it('lets a plugin veto a cycle, which starts the cooldown', async () => {
    const h = harness(chat(6), { veto: async () => 'keeper' });
    expect(await h.compactor.check(900)).toEqual({ started: false, reason: 'vetoed', detail: "plugin 'keeper'" });
    expect(h.events).toEqual([]);
  });

  it('/compact runs below the threshold and when disabled, but reports a precise reason when it cannot', async () => {
    const h = harness(chat(6), {}, { enabled: false });
    const decision = await h.compactor.compactNow(10);
    expect(decision.started).toBe(true);
    expect(await harness(chat(2)).compactor.compactNow(10)).toEqual({ started: false, reason: 'too_short' });
  });

  it('stop() abandons the summary in flight and keeps the conversation', async () => {
    const h = harness(chat(6));
    const before = h.messages;
    const decision = await h.compactor.check(900);
    await h.model.nextCall();
    h.compactor.stop();
    const outcome = decision.started ? await decision.done : undefined;
    expect(outcome).toEqual({ status: 'failed', error: 'the creature stopped' });
    expect(h.messages).toBe(before);
    expect(await h.compactor.check(900)).toEqual({ started: false, reason: 'stopped' });
  });
});

describe('Compactor: nothing to condense', () => {
  it('does not summarise a zone that is only the previous summary', async () => {
    const messages: Message[] = [system, { role: 'user', content: '[Previous context summary (compact round 1)]\n\nold' }, ...chat(2).slice(1)];
    const h = harness(messages);
    expect(await h.compactor.check(900)).toEqual({ started: false, reason: 'too_short' });
  });
});
