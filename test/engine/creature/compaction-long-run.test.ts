/**
 * A long scripted conversation under a small context window: 500 turns
 * (some with a tool call) against a model whose prompt size is measured from
 * what it is sent. Compaction must keep every working request under the
 * window, keep the last `keep_recent_turns` turns verbatim, stack its
 * summaries (each one summarises the one before), and never orphan a tool
 * message.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryMessageText } from '../../../source/engine/compaction/prompt.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { repairToolPairing } from '../../../source/engine/creature/conversation.js';
import type { AgentEvent, EventOf } from '../../../source/engine/events.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { PluginCatalog } from '../../../source/engine/plugins/catalog.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { add, COMPACT_16K, MeasuredModel, planTurns, structuredSummary, turnMessages } from './fixtures/compaction-script.js';

const TURNS = 500;
const KEEP = COMPACT_16K.keep_recent_turns;
const SYSTEM = 'You keep long conversations going.';

/** Counts compaction starts and ends; `settled()` resolves once every start has its end. */
function compactionTracker(agent: Agent) {
  let starts = 0;
  const ends: Array<EventOf<'compaction.end'>> = [];
  let wake: (() => void) | undefined;
  agent.on((event: AgentEvent) => {
    if (event.type === 'compaction.start') starts++;
    if (event.type !== 'compaction.end') return;
    ends.push(event);
    if (ends.length >= starts) wake?.();
  });
  return {
    ends,
    get starts() {
      return starts;
    },
    settled(): Promise<void> {
      if (ends.length >= starts) return Promise.resolve();
      return new Promise((resolve) => (wake = resolve));
    },
  };
}

/** The user messages after the summary, grouped with what followed each. */
function turnsAfterSummary(messages: readonly Message[]): Message[][] {
  const groups: Message[][] = [];
  for (const message of messages.slice(2)) {
    if (message.role === 'user') groups.push([message]);
    else groups.at(-1)?.push(message);
  }
  return groups;
}

describe('compaction over a long conversation', () => {
  it(`${TURNS} scripted turns stay under a 16k-token window with the last ${KEEP} turns intact`, async () => {
    const seed = Number(process.env.KT_TEST_SEED ?? Date.now() % 100_000);
    process.stdout.write(`long-run compaction seed: ${seed} (rerun with KT_TEST_SEED=${seed})\n`);
    const plans = planTurns(seed, TURNS);
    const model = new MeasuredModel(plans);
    const agent = await Agent.build(
      { name: 'talker', system_prompt: SYSTEM, compact: COMPACT_16K },
      { llm: model, pwd: mkdtempSync(join(tmpdir(), 'kt-long-')), tools: [add], catalog: new ToolCatalog(), pluginCatalog: new PluginCatalog(), clock: { now: () => 0, setTimer: () => () => undefined } },
    );
    const tracker = compactionTracker(agent);

    for (const plan of plans) {
      const endsBefore = tracker.ends.length;
      const result = await agent.run(plan.input);
      expect(result.status, `turn ${plan.turn}`).toBe('completed');
      // The summary answers at once, but in the background: wait for it before the next turn.
      await tracker.settled();
      if (tracker.ends.length === endsBefore) continue;
      // A splice this turn: system, the newest summary, then exactly the last KEEP turns verbatim.
      const end = tracker.ends.at(-1)!;
      expect(end, `turn ${plan.turn}`).toMatchObject({ status: 'done', round: tracker.ends.length });
      const messages = agent.messages;
      expect(messages[0]).toEqual({ role: 'system', content: expect.stringContaining(SYSTEM) });
      expect(messages[1]).toEqual({ role: 'user', content: summaryMessageText(end.round, structuredSummary(end.round)) });
      const kept = plans.slice(plan.turn - KEEP, plan.turn).flatMap(turnMessages);
      expect(messages.slice(2), `turn ${plan.turn}`).toEqual(kept);
      expect(repairToolPairing(messages), `turn ${plan.turn}`).toEqual(messages);
    }

    const compactions = tracker.ends.length;
    const peak = Math.max(...model.promptTokens);
    process.stdout.write(`long-run: ${compactions} compactions, ${model.promptTokens.length} working requests, peak prompt ${peak} tokens\n`);
    expect(compactions).toBeGreaterThan(3);
    expect(tracker.starts).toBe(compactions);
    // Every working request fits the window (the threshold is 80% of it; one turn adds far less than the rest).
    for (const [i, tokens] of model.promptTokens.entries()) expect(tokens, `request ${i + 1}`).toBeLessThan(COMPACT_16K.max_tokens);

    // Summaries stack: rounds count up, and each summary request carries the summary before it
    // and turns that came after it (never the previous summary alone).
    expect(tracker.ends.map((e) => e.round)).toEqual(tracker.ends.map((_, i) => i + 1));
    for (const [i, request] of model.summaries.entries()) {
      const zone = String(request.messages[1]?.content);
      expect(zone, `summary ${i + 1}`).toContain('[user]: Turn ');
      if (i === 0) expect(zone).not.toContain('[Previous context summary');
      else expect(zone).toContain(`[user]: ${summaryMessageText(i, structuredSummary(i))}`);
    }

    // The final conversation: system, the last summary, then turns ending with the last KEEP inputs and their answers, in order.
    const final = agent.messages;
    expect(final[0]?.role).toBe('system');
    expect(final[1]).toEqual({ role: 'user', content: summaryMessageText(compactions, structuredSummary(compactions)) });
    const turns = turnsAfterSummary(final);
    expect(turns.length).toBeGreaterThanOrEqual(KEEP);
    expect(turns.slice(-KEEP)).toEqual(plans.slice(-KEEP).map(turnMessages));
    // No tool message without its call, no call without its result.
    expect(repairToolPairing(final)).toEqual(final);
    await agent.stop();
  }, 120_000);
});
