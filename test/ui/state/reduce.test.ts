/**
 * The view model from scripted events: what the screen must show after each
 * kind of event, independent of Ink.
 */
import { describe, expect, it } from 'vitest';
import type { AgentEvent, EventDraft } from '../../../source/index.js';
import { reduceView, type ReduceOptions } from '../../../source/ui/state/reduce.js';
import { initialView, type ViewState } from '../../../source/ui/state/view.js';

const options: ReduceOptions = {
  // Enough of markdown for these tests: the last blank line outside a fence.
  safeSplit: (text) => {
    const fences = (text.match(/^```/gm) ?? []).length;
    if (fences % 2) return 0;
    const at = text.lastIndexOf('\n\n');
    return at > 0 ? at + 2 : 0;
  },
  maxLiveLines: 10,
};

let seq = 0;
function ev(draft: EventDraft, agentPath: string[] = ['swe'], ts = 1000): AgentEvent {
  return { ...draft, seq: ++seq, ts, sessionId: 's', creatureId: 'c', turnId: 'turn_1', agentPath } as AgentEvent;
}
const run = (events: AgentEvent[], from: ViewState = initialView()) => events.reduce((s, e) => reduceView(s, e, options), from);
const usage = { input: 0, output: 0, cached: 0 };
const kinds = (s: ViewState) => s.committed.map((i) => i.kind);

describe('reduceView', () => {
  it('commits the prompt, streams the answer in safe chunks and flushes the tail at step end', () => {
    let s = run([ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'explain', source: 'user' }), ev({ type: 'step.start', step: 1 })]);
    expect(s.committed).toMatchObject([{ kind: 'user', text: 'explain' }]);
    expect(s.turnActive).toBe(true);
    s = run([ev({ type: 'text.delta', step: 1, text: 'First paragraph.' })], s);
    expect(s.streaming).toBe('First paragraph.');
    expect(s.phase).toBe('streaming');
    s = run([ev({ type: 'text.delta', step: 1, text: '\n\nSecond ' })], s);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'assistant', text: 'First paragraph.', continues: false });
    expect(s.streaming).toBe('Second ');
    s = run([ev({ type: 'text.delta', step: 1, text: 'part.' }), ev({ type: 'step.end', step: 1, text: '', toolCalls: [], finishReason: 'stop', model: 'm', usage, timings: { ttftMs: 1, modelMs: 1, toolsMs: 0, overheadMs: 0 } })], s);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'assistant', text: 'Second part.', continues: true });
    expect(s.streaming).toBe('');
    s = run([ev({ type: 'turn.end', turnIndex: 1, status: 'completed', text: '', usage, steps: 1, toolCalls: 0, durationMs: 5 })], s);
    expect(s).toMatchObject({ turnActive: false, phase: 'idle' });
    expect(kinds(s)).toEqual(['user', 'assistant', 'assistant']);
  });

  it('never commits inside an open code fence, but bounds the live tail at line ends', () => {
    const code = ['```ts', ...Array.from({ length: 30 }, (_, i) => `line ${i}`)].join('\n');
    const s = run([ev({ type: 'text.delta', step: 1, text: code })]);
    expect(s.streaming.split('\n').length).toBeLessThanOrEqual(options.maxLiveLines);
    const shown = [...s.committed.map((i) => (i.kind === 'assistant' ? i.text : '')), s.streaming].join('\n');
    expect(shown).toBe(code);
  });

  it('shows a running tool, its progress preview, then commits the result with its summary', () => {
    let s = run([ev({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'npm test' }, step: 1, background: false }, ['swe'], 5000)]);
    expect(s.running).toMatchObject([{ callId: 'c1', name: 'bash', summary: 'npm test', startedAt: 5000 }]);
    expect(s.phase).toBe('tools');
    s = run([ev({ type: 'tool.progress', callId: 'c1', name: 'bash', text: Array.from({ length: 20 }, (_, i) => `out ${i}`).join('\n') })], s);
    expect(s.running[0]!.preview).toHaveLength(20);
    expect(s.running[0]!.preview.at(-1)).toBe('out 19');
    s = run([ev({ type: 'tool.result', callId: 'c1', name: 'bash', output: 'boom\nmore', isError: true, status: 'error', durationMs: 12 })], s);
    expect(s.running).toEqual([]);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'tool', name: 'bash', summary: 'npm test', ok: false, output: 'boom\nmore', under: [] });
  });

  it('nests sub-agent activity under it and commits a summary when it ends', () => {
    let s = run([ev({ type: 'subagent.start', name: 'explore', jobId: 'j1', callId: 'c1', task: 'find the parser', background: false, depth: 1 }, ['swe'], 100)]);
    expect(s.subagents).toMatchObject([{ name: 'explore', task: 'find the parser', toolCalls: 0 }]);
    s = run([ev({ type: 'tool.call', callId: 'x1', name: 'grep', args: { pattern: 'parse' }, step: 1, background: false }, ['swe', 'explore'])], s);
    expect(s.subagents[0]).toMatchObject({ toolCalls: 1, activity: 'grep parse' });
    expect(s.running).toEqual([]); // the sub-agent's tools are not the creature's
    s = run([ev({ type: 'tool.result', callId: 'x1', name: 'grep', output: 'a.ts:1', isError: false, status: 'ok', durationMs: 3 }, ['swe', 'explore'])], s);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'tool', name: 'grep', under: ['explore'] });
    s = run([ev({ type: 'subagent.end', name: 'explore', jobId: 'j1', callId: 'c1', status: 'completed', text: 'It is in parser.ts', usage, steps: 2, toolCalls: 1, durationMs: 900 })], s);
    expect(s.subagents).toEqual([]);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'subagent', name: 'explore', task: 'find the parser', text: 'It is in parser.ts', steps: 2 });
  });

  it('keeps background jobs in the strip, not the transcript, and notes when they end', () => {
    let s = run([
      ev({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'sleep 5' }, step: 1, background: true }),
      ev({ type: 'job.start', jobId: 'job_1', kind: 'tool', name: 'bash', summary: 'sleep 5', callId: 'c1', promoted: false }),
      ev({ type: 'tool.result', callId: 'c1', name: 'bash', output: '[bash is running in the background as job job_1 ...]', isError: false, status: 'ok', durationMs: 0 }),
    ]);
    expect(s.jobs).toMatchObject([{ jobId: 'job_1', name: 'bash' }]);
    expect(s.committed).toEqual([]);
    s = run([ev({ type: 'job.end', jobId: 'job_1', kind: 'tool', name: 'bash', status: 'done', output: '', isError: false, durationMs: 5000 })], s);
    expect(s.jobs).toEqual([]);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'info', tone: 'success', text: 'Background bash done (job_1)' });
  });

  it('a promoted call leaves the running list for the job strip', () => {
    const s = run([
      ev({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'make' }, step: 1, background: false }),
      ev({ type: 'job.start', jobId: 'job_2', kind: 'tool', name: 'bash', summary: 'make', callId: 'c1', promoted: true }),
    ]);
    expect(s.running).toEqual([]);
    expect(s.jobs).toHaveLength(1);
  });

  it('tracks usage and context fill, queued input, retries and how turns end', () => {
    let s = run([ev({ type: 'usage', turn: usage, total: { input: 1200, output: 30, cached: 100 }, contextTokens: 5000, maxContext: 200000 })]);
    expect(s.usage).toEqual({ input: 1200, output: 30, cached: 100, contextTokens: 5000, maxContext: 200000 });
    s = run([ev({ type: 'input.queued', input: 'next', position: 1 })], s);
    expect(s.queued).toBe(1);
    s = run([ev({ type: 'turn.start', turnIndex: 2, branch: 1, input: 'next', source: 'user' })], s);
    expect(s.queued).toBe(0);
    s = run([ev({ type: 'text.delta', step: 1, text: 'partial' }), ev({ type: 'llm.retry', step: 1, attempt: 1, maxRetries: 3, delayMs: 1000, errorClass: 'server', status: 500, message: 'boom', discardedChars: 7 })], s);
    expect(s.streaming).toBe('');
    expect(s.committed.at(-1)).toMatchObject({ kind: 'info', tone: 'warning' });
    s = run([ev({ type: 'turn.end', turnIndex: 2, status: 'interrupted', text: '', usage, steps: 1, toolCalls: 0, durationMs: 5 })], s);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'info', text: 'Interrupted.' });
    s = run([ev({ type: 'turn.end', turnIndex: 3, status: 'error', text: '', usage, steps: 1, toolCalls: 0, durationMs: 5, error: { name: 'ProviderError', message: '401 bad key' } as never })], s);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'info', tone: 'error', text: '401 bad key' });
  });

  it('committed items are append-only: earlier items never change identity', () => {
    const a = run([ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'hi', source: 'user' })]);
    const b = run([ev({ type: 'text.delta', step: 1, text: 'x\n\ny' }), ev({ type: 'warning', message: 'w' })], a);
    expect(b.committed[0]).toBe(a.committed[0]);
    expect(b.committed.map((i) => i.id)).toEqual([1, 2, 3]);
  });
});
