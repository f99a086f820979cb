/**
 * Triggers in the view model: a trigger's turn is marked where a typed
 * message would stand (live, and rebuilt from a real session log), missed
 * runs get one line, tool-made triggers one dim line, config ones none;
 * the footer's summary names the soonest fire.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../../source/engine/triggers/catalog.js';
import type { Trigger, TriggerContext } from '../../../source/engine/triggers/trigger.js';
import type { AgentEvent } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { historyItems } from '../../../source/ui/state/history-items.js';
import { reduceView } from '../../../source/ui/state/reduce.js';
import { relativeTime, triggerSummary, withTriggers } from '../../../source/ui/state/triggers.js';
import { initialView, type ViewState } from '../../../source/ui/state/view.js';

const ev = (e: Record<string, unknown>): AgentEvent => ({ ts: 1, seq: 1, agentPath: ['c'], creatureId: 'id', turnId: 't1', ...e }) as unknown as AgentEvent;
const options = { safeSplit: findSafeSplitPoint, maxLiveLines: 40 };
const run = (events: AgentEvent[], from: ViewState = initialView()) => events.reduce((s, e) => reduceView(s, e, options), from);
const strip = (s: ViewState) => s.committed.map(({ id: _id, ...rest }) => rest);

function manual(): Trigger & { ctx?: TriggerContext } {
  const t: Trigger & { ctx?: TriggerContext } = { kind: 'timer', describe: () => 'every 10m', nextFireAt: () => 1_000_000, start: (ctx) => void (t.ctx = ctx) };
  return t;
}

describe('triggers in the view', () => {
  it('a trigger turn is marked with its kind and name instead of a user message', () => {
    const s = run([
      ev({ type: 'turn.start', source: 'trigger', origin: { kind: 'timer', name: 'standup', triggerId: 'timer-1' }, input: 'Post the standup summary', turnIndex: 1, branch: 1 }),
      ev({ type: 'turn.start', source: 'trigger', origin: { kind: 'webhook', triggerId: 'webhook-1' }, input: 'POST /hook', turnIndex: 2, branch: 1 }),
      ev({ type: 'turn.start', source: 'trigger', origin: { kind: 'tick', name: 'tick', triggerId: 'tick' }, input: 'go', turnIndex: 3, branch: 1 }),
      ev({ type: 'turn.start', source: 'user', input: 'hello', turnIndex: 4, branch: 1 }),
    ]);
    expect(strip(s)).toEqual([
      { kind: 'trigger', label: "⏰ timer 'standup'", text: 'Post the standup summary' },
      { kind: 'trigger', label: '📨 webhook', text: 'POST /hook' },
      { kind: 'trigger', label: '⚡ tick', text: 'go' },
      { kind: 'user', text: 'hello' },
    ]);
  });

  it('missed runs get one line; a tool-made trigger one dim line; config triggers only the footer', () => {
    const s = run([
      ev({ type: 'trigger.added', triggerId: 'timer-1', kind: 'timer', name: 'standup', origin: 'config', description: 'every day', resumable: false, nextFireAt: 5000 }),
      ev({ type: 'trigger.missed', triggerId: 'timer-1', kind: 'timer', name: 'standup', count: 3, since: 0 }),
      ev({ type: 'trigger.added', triggerId: 'timer-2', kind: 'timer', name: 'nudge', origin: 'tool', description: 'in 5m', resumable: true }),
      ev({ type: 'trigger.removed', triggerId: 'timer-2', kind: 'timer', name: 'nudge', reason: 'finished' }),
      ev({ type: 'trigger.removed', triggerId: 'timer-1', kind: 'timer', name: 'standup', reason: 'removed' }),
    ]);
    expect(strip(s)).toEqual([
      { kind: 'info', tone: 'warning', text: "⏰ missed 3 runs of 'standup' while kt was not running" },
      { kind: 'info', tone: 'info', text: "⏰ timer 'nudge' set up · in 5m" },
      { kind: 'info', tone: 'info', text: "⏰ timer 'nudge' finished" },
    ]);
    expect(s.triggers).toEqual([]);
  });

  it('the footer summary: count, and the soonest timed trigger relative to now', () => {
    const s = run([
      ev({ type: 'trigger.added', triggerId: 'w', kind: 'webhook', name: 'hook', origin: 'config', description: '', resumable: false }),
      ev({ type: 'trigger.added', triggerId: 't', kind: 'timer', name: 'standup', origin: 'config', description: '', resumable: false, nextFireAt: 250_000 }),
    ]);
    expect(triggerSummary(s.triggers, 10_000)).toBe("⏰ 2 triggers · next 'standup' in 4m");
    expect(triggerSummary(s.triggers.slice(0, 1), 0)).toBe('📨 1 trigger');
    expect(triggerSummary([], 0)).toBeUndefined();
    expect([relativeTime(40_000), relativeTime(7_500_000), relativeTime(3 * 86_400_000), relativeTime(-1)]).toEqual(['in 40s', 'in 2h 5m', 'in 3d', 'due']);
    // The creature's list replaces the event-built one (next fire times move on after a fire); unchanged, the state is kept.
    const moved = withTriggers(s, [{ id: 't', kind: 'timer', name: 'standup', origin: 'config', description: '', fired: 1, resumable: false, nextFireAt: 900_000 }]);
    expect(moved.triggers).toEqual([{ id: 't', kind: 'timer', name: 'standup', origin: 'config', nextFireAt: 900_000 }]);
    expect(withTriggers(moved, [{ id: 't', kind: 'timer', name: 'standup', origin: 'config', description: '', fired: 2, resumable: false, nextFireAt: 900_000 }])).toBe(moved);
  });

  it('a resumed session shows a trigger turn with its mark, from the log', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kt-ui-trig-'));
    const path = join(folder, 's.kohakutr');
    const agent = await Agent.build({ name: 'waker' }, { llm: new ScriptedLLM([{ text: 'typed answer' }, { text: 'Standup posted.' }]), pwd: folder, session: path, catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() });
    const trigger = manual();
    await agent.addTrigger(trigger, { name: 'standup' });
    await agent.start();
    await agent.run('hi');
    await trigger.ctx!.fire({ content: 'Post the standup summary' }).done;
    await agent.stop();
    using reader = new SessionReader(path);
    const items = historyItems(reader.turns());
    expect(items.slice(0, 4)).toEqual([
      { kind: 'user', text: 'hi' },
      { kind: 'assistant', text: 'typed answer', continues: false },
      { kind: 'trigger', label: "⏰ timer 'standup'", text: 'Post the standup summary' },
      { kind: 'assistant', text: 'Standup posted.', continues: false },
    ]);
  });
});
