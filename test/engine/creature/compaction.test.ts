import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SUMMARY_SYSTEM_PROMPT } from '../../../source/engine/compaction/prompt.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../../../source/engine/llm/provider.js';
import { PluginCatalog } from '../../../source/engine/plugins/catalog.js';
import { plugin } from '../../../source/engine/plugins/define.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });

/**
 * The creature's model: scripted answers, except summary requests, which
 * wait until the test releases them (so a turn can run while one is in flight).
 */
class GatedSummaries implements Provider {
  readonly id = 'test/scripted';
  readonly provider = 'test';
  readonly model = 'scripted';
  readonly maxContext = 1000;
  readonly summaries: Array<{ request: LLMRequest; release: (text: string) => void; fail: (e: Error) => void }> = [];
  private waiting: (() => void) | undefined;

  constructor(readonly scripted: ScriptedLLM) {}

  async *stream(request: LLMRequest, options: StreamOptions): AsyncIterable<LLMStreamPart> {
    if (request.messages[0]?.content !== SUMMARY_SYSTEM_PROMPT) {
      yield* this.scripted.stream(request, options);
      return;
    }
    const text = await new Promise<string>((release, fail) => {
      this.summaries.push({ request, release, fail });
      options.signal.addEventListener('abort', () => fail(options.signal.reason as Error));
      this.waiting?.();
    });
    yield { type: 'text', text };
    yield { type: 'finish', finishReason: 'stop', usage: { input: 50, output: 10, cached: 0 } };
  }

  nextSummary(): Promise<void> {
    return this.summaries.length ? Promise.resolve() : new Promise((resolve) => (this.waiting = resolve));
  }
}

const usage = (input: number) => ({ input, output: 5, cached: 0 });

function untilEvent(agent: Agent, type: AgentEvent['type']): Promise<AgentEvent> {
  return new Promise((resolve) => {
    const off = agent.on((event) => {
      if (event.type !== type) return;
      off();
      resolve(event);
    });
  });
}

const COMPACT = { max_tokens: 1000, threshold: 0.5, keep_recent_turns: 1, cooldown_seconds: 0 };

async function build(script: ScriptStep[], extra: { session?: string; plugins?: unknown[]; compact?: Record<string, unknown> } = {}) {
  const provider = new GatedSummaries(new ScriptedLLM(script));
  const pwd = mkdtempSync(join(tmpdir(), 'kt-compact-'));
  const agent = await Agent.build(
    { name: 'keeper', system_prompt: 'You keep things.', compact: extra.compact ?? COMPACT },
    {
      llm: provider,
      pwd,
      tools: [add],
      catalog: new ToolCatalog(),
      pluginCatalog: new PluginCatalog(),
      ...(extra.session ? { session: extra.session } : {}),
      ...(extra.plugins ? { plugins: extra.plugins as never } : {}),
    },
  );
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  return { agent, provider, events };
}

const texts = (agent: Agent) => agent.messages.map((m) => (typeof m.content === 'string' ? m.content.split('\n')[0] : '[parts]'));

describe('compaction in a creature', () => {
  it('keeps working while the summary is written, and the splice keeps what came meanwhile', async () => {
    const { agent, provider, events } = await build([
      { text: 'A1', usage: usage(100) },
      { text: 'B1', usage: usage(100) },
      { toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }], usage: usage(600) },
      { text: 'C done', usage: usage(650) },
    ]);
    await agent.run('a');
    await agent.run('b');
    const ended = untilEvent(agent, 'compaction.end');
    // Round 1 of this turn passes the threshold: the summary starts before round 2, and round 2 runs while it waits.
    const result = await agent.run('c');
    expect(result).toMatchObject({ status: 'completed', text: 'C done' });
    expect(result.toolCalls).toHaveLength(1);
    expect(provider.summaries).toHaveLength(1);
    expect(provider.summaries[0]?.request.messages[1]?.content).toContain('[user]: a');
    expect(events.map((e) => e.type)).not.toContain('compaction.end');
    provider.summaries[0]?.release('## Current Goal\nkeep things');
    expect(await ended).toMatchObject({ status: 'done', round: 1, messagesCompacted: 4 });
    expect(texts(agent)).toEqual(['You keep things.', '[Previous context summary (compact round 1)]', 'c', '', '3', 'C done']);
    const start = events.findIndex((e) => e.type === 'compaction.start');
    const turnEnd = events.findIndex((e) => e.type === 'turn.end' && e.turnIndex === 3);
    expect(start).toBeLessThan(turnEnd);
    await agent.stop();
  });

  it('a resumed session and SessionReader rebuild the compacted conversation', async () => {
    const session = join(mkdtempSync(join(tmpdir(), 'kt-compact-session-')), 'keeper.kohakutr');
    const script = [
      { text: 'A1', usage: usage(100) },
      { text: 'B1', usage: usage(700) },
      { text: 'C1', usage: usage(100) },
    ];
    const first = await build(script, { session });
    await first.agent.run('a');
    const ended = untilEvent(first.agent, 'compaction.end');
    await first.agent.run('b');
    await first.provider.nextSummary();
    first.provider.summaries[0]?.release('summary of a');
    await ended;
    await first.agent.run('c');
    const live = first.agent.messages.map((m) => ({ ...m }));
    await first.agent.stop();

    const reader = new SessionReader(session);
    try {
      expect(reader.conversation()).toEqual(live);
    } finally {
      reader.close();
    }
    const resumed = await build([{ text: 'D1', usage: usage(100) }], { session });
    expect(resumed.agent.messages).toEqual(live);
    // The next compaction numbers on.
    expect(texts(resumed.agent)[1]).toBe('[Previous context summary (compact round 1)]');
    await resumed.agent.stop();
  });

  it('/compact reports a precise reason when it cannot run, and a plugin can veto', async () => {
    const { agent } = await build([{ text: 'A1', usage: usage(10) }]);
    await agent.run('a');
    expect(await agent.compact()).toEqual({ started: false, reason: 'too_short' });
    await agent.stop();
    const keeper = plugin({ name: 'keeper', setup: () => ({ onCompactStart: () => false }) });
    const vetoed = await build(
      [1, 2, 3].map((n) => ({ text: `A${n}`, usage: usage(10) })),
      { plugins: [keeper] },
    );
    for (const q of ['a', 'b', 'c']) await vetoed.agent.run(q);
    expect(await vetoed.agent.compact()).toEqual({ started: false, reason: 'vetoed', detail: "plugin 'keeper'" });
    await vetoed.agent.stop();
  });

  it('compact: { enabled: false } turns the automatic check off; /compact still works', async () => {
    const { agent, provider } = await build(
      [1, 2, 3].map((n) => ({ text: `A${n}`, usage: usage(900) })),
      { compact: { ...COMPACT, enabled: false } },
    );
    for (const q of ['a', 'b', 'c']) await agent.run(q);
    expect(provider.summaries).toHaveLength(0);
    const decision = await agent.compact();
    expect(decision).toMatchObject({ started: true, round: 1 });
    await provider.nextSummary();
    provider.summaries[0]?.release('s');
    if (decision.started) expect(await decision.done).toMatchObject({ status: 'done' });
    await agent.stop();
  });

  it('a failed summary leaves the conversation as it was', async () => {
    const { agent, provider } = await build([
      { text: 'A1', usage: usage(100) },
      { text: 'B1', usage: usage(700) },
    ]);
    await agent.run('a');
    const ended = untilEvent(agent, 'compaction.end');
    await agent.run('b');
    const before = texts(agent);
    await provider.nextSummary();
    provider.summaries[0]?.fail(new Error('model down'));
    expect(await ended).toMatchObject({ status: 'failed', error: 'model down' });
    expect(texts(agent)).toEqual(before);
    await agent.stop();
  });
});
