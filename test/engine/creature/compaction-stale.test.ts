/**
 * A model call's prompt size describes the conversation it was sent. When a
 * splice lands while that call runs, the size measured the conversation from
 * before the splice: the check after the call must not take it for the
 * spliced one and start a second compaction at once (whose zone would be the
 * fresh summary alone — a model call that condenses nothing).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../../../source/engine/llm/provider.js';
import { PluginCatalog } from '../../../source/engine/plugins/catalog.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { add, isSummaryRequest, tokensOf } from './fixtures/compaction-script.js';

const LONG = 'word '.repeat(250);

/**
 * Answers turn `a` and `b` with long text, turn `c` with an `add` call and
 * then text. The summary waits until the call after the `add` result is
 * under way, and that call waits for the splice: so the splice lands while
 * a call sent before it runs.
 */
class SpliceDuringCall implements Provider {
  readonly id = 'test/measured';
  readonly provider = 'test';
  readonly model = 'measured';
  summaries = 0;
  private releaseSummary: (() => void) | undefined;
  private readonly summaryGate = new Promise<void>((resolve) => (this.releaseSummary = resolve));

  constructor(private readonly spliced: Promise<unknown>) {}

  async *stream(request: LLMRequest, _options: StreamOptions): AsyncIterable<LLMStreamPart> {
    const input = tokensOf(request.messages);
    const usage = { input, output: 10, cached: 0 };
    if (isSummaryRequest(request)) {
      this.summaries++;
      await this.summaryGate;
      yield { type: 'text', text: `## Current Goal\nsummary ${this.summaries}` };
      yield { type: 'finish', finishReason: 'stop', usage };
      return;
    }
    const last = request.messages.at(-1);
    if (last?.role === 'user' && last.content === 'c') {
      yield { type: 'tool_call', call: { id: 'call_c', name: 'add', arguments: '{"a":1,"b":2}' } };
      yield { type: 'finish', finishReason: 'tool_calls', usage };
      return;
    }
    if (last?.role === 'tool') {
      this.releaseSummary?.();
      await this.spliced;
      yield { type: 'text', text: 'C done' };
      yield { type: 'finish', finishReason: 'stop', usage };
      return;
    }
    yield { type: 'text', text: `${String(last?.content)}: ${LONG}` };
    yield { type: 'finish', finishReason: 'stop', usage };
  }
}

describe('compaction after a splice', () => {
  it('a prompt size measured before the splice does not start a second compaction', async () => {
    let splice: (event: AgentEvent) => void = () => undefined;
    const spliced = new Promise<AgentEvent>((resolve) => (splice = resolve));
    const model = new SpliceDuringCall(spliced);
    const agent = await Agent.build(
      { name: 'keeper', system_prompt: 'You keep things.', compact: { max_tokens: 1000, threshold: 0.5, keep_recent_turns: 1, cooldown_seconds: 0 } },
      { llm: model, pwd: mkdtempSync(join(tmpdir(), 'kt-stale-')), tools: [add], catalog: new ToolCatalog(), pluginCatalog: new PluginCatalog() },
    );
    const events: AgentEvent[] = [];
    agent.on((event) => {
      events.push(event);
      if (event.type === 'compaction.end') splice(event);
    });
    await agent.run('a');
    await agent.run('b');
    expect(events.filter((e) => e.type === 'compaction.start')).toHaveLength(0);
    // Turn c: the call with the add call passes the threshold; the summary lands during the next call.
    expect(await agent.run('c')).toMatchObject({ status: 'completed', text: 'C done' });
    expect(await spliced).toMatchObject({ status: 'done', round: 1, messagesCompacted: 4 });
    const compactions = events.filter((e) => e.type === 'compaction.start' || e.type === 'compaction.end').map((e) => e.type);
    expect(compactions).toEqual(['compaction.start', 'compaction.end']);
    expect(model.summaries).toBe(1);
    expect(agent.messages.map((m) => m.role)).toEqual(['system', 'user', 'user', 'assistant', 'tool', 'assistant']);
    await agent.stop();
  });
});
