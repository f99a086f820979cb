/**
 * What the footer and the running-tool rows show while a turn moves: tokens
 * counted as the answer streams, a context meter that never drops after a
 * cut-off round, approval waits shown as waiting for the user (not tool
 * time), a switched model.
 */
import { describe, expect, it } from 'vitest';
import type { AgentEvent, EventDraft } from '../../../source/index.js';
import { reduceView, type ReduceOptions } from '../../../source/ui/state/reduce.js';
import { initialView, toolElapsed, type ViewState } from '../../../source/ui/state/view.js';

const options: ReduceOptions = { safeSplit: () => 0, maxLiveLines: 50 };
let seq = 0;
const ev = (draft: EventDraft, ts = 1000): AgentEvent => ({ ...draft, seq: ++seq, ts, sessionId: 's', creatureId: 'c', turnId: 'turn_1', agentPath: ['swe'] }) as AgentEvent;
const run = (events: AgentEvent[], from: ViewState = initialView()) => events.reduce((s, e) => reduceView(s, e, options), from);
const zero = { input: 0, output: 0, cached: 0 };
const start = ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'go', source: 'user' });

describe('footer figures while a turn runs', () => {
  it('counts streamed output as it arrives, then takes the exact figure at the round end', () => {
    let s = run([start, ev({ type: 'usage', turn: zero, total: { input: 100, output: 20, cached: 0 }, contextTokens: 100, maxContext: 1000 })]);
    s = run([ev({ type: 'step.start', step: 2 }), ev({ type: 'reasoning.delta', step: 2, text: 'x'.repeat(40) })], s);
    expect(s.usage.output).toBe(30);
    s = run([ev({ type: 'text.delta', step: 2, text: 'y'.repeat(41) }), ev({ type: 'text.delta', step: 2, text: 'z'.repeat(3) })], s);
    expect(s.usage.output).toBe(20 + 21);
    s = run([ev({ type: 'usage', turn: zero, total: { input: 300, output: 45, cached: 0 }, contextTokens: 200, maxContext: 1000 })], s);
    expect(s.usage).toMatchObject({ input: 300, output: 45, contextTokens: 200 });
    expect(s.streamedChars).toBe(0);
  });

  it('keeps the context meter when an interrupted round reports no usage', () => {
    let s = run([start, ev({ type: 'usage', turn: zero, total: { input: 500, output: 10, cached: 0 }, contextTokens: 500, maxContext: 1000 })]);
    s = run(
      [
        ev({ type: 'text.delta', step: 2, text: 'partial answer' }),
        ev({ type: 'usage', turn: zero, total: { input: 500, output: 10, cached: 0 }, contextTokens: 0, maxContext: 1000 }),
        ev({ type: 'turn.end', turnIndex: 1, status: 'interrupted', text: '', usage: zero, steps: 2, toolCalls: 0, durationMs: 3 }),
      ],
      s,
    );
    expect(s.usage.contextTokens).toBe(500);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'info', text: 'Interrupted.' });
  });

  it('shows a switched model and its window', () => {
    const s = run([ev({ type: 'model.changed', model: 'openai/gpt-4o-mini', previous: 'scripted/test', maxContext: 128_000 })]);
    expect(s.model).toBe('openai/gpt-4o-mini');
    expect(s.usage.maxContext).toBe(128_000);
  });
});

describe('approval waits', () => {
  it('say "waiting for you", stop the tool\'s clock while waiting, and resume it after the answer', () => {
    let s = run([start, ev({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'rm -rf build' }, step: 1, background: false }, 1000)]);
    expect(s.phase).toBe('tools');
    s = run([ev({ type: 'interaction.request', id: 'ix_1', kind: 'approval', payload: { tool: 'bash', callId: 'c1' } }, 1200)], s);
    expect(s.phase).toBe('approval');
    expect(s.running[0]!.waitingSince).toBe(1200);
    // However long the user takes, the tool has run 200 ms.
    expect(toolElapsed(s.running[0]!, 60_000)).toBe(200);
    s = run([ev({ type: 'interaction.reply', id: 'ix_1', reply: 'once', outcome: 'answered' }, 31_200)], s);
    expect(s.phase).toBe('tools');
    expect(s.running[0]!.waitingSince).toBeUndefined();
    expect(toolElapsed(s.running[0]!, 31_500)).toBe(500);
    expect(s.awaiting).toEqual([]);
  });

  it('a question that is not an approval leaves the phase alone; a turn end clears open waits', () => {
    let s = run([start, ev({ type: 'interaction.request', id: 'ix_2', kind: 'ask', payload: { question: 'which?' } })]);
    expect(s.phase).toBe('waiting');
    s = run([ev({ type: 'interaction.request', id: 'ix_3', kind: 'approval', payload: { tool: 'write' } })], s);
    expect(s.phase).toBe('approval');
    s = run([ev({ type: 'turn.end', turnIndex: 1, status: 'interrupted', text: '', usage: zero, steps: 1, toolCalls: 0, durationMs: 3 })], s);
    expect(s).toMatchObject({ phase: 'idle', awaiting: [] });
  });
});
