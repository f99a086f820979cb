import { describe, expect, it } from 'vitest';
import type { AgentEvent, EventDraft } from '../../source/engine/events.js';
import { emptyChat, OUTPUT_TAIL_LINES, reduceChat, type ChatItem, type ChatState } from '../../source/web/state/chat.js';

let seq = 0;
function ev(draft: EventDraft, over: Partial<AgentEvent> = {}): AgentEvent {
  seq += 1;
  return { seq, ts: 0, sessionId: 's', creatureId: 'swe', turnId: 'turn_1', agentPath: ['swe'], ...draft, ...over } as AgentEvent;
}
const fold = (events: AgentEvent[], from: ChatState = emptyChat) => events.reduce(reduceChat, from);
const items = (state: ChatState): ChatItem[] => state.creatures['swe']?.items ?? [];
const usage = { inputTokens: 0, outputTokens: 0 } as never;

describe('chat state', () => {
  it('streams an answer into one item and ends it with the step', () => {
    seq = 0;
    const state = fold([
      ev({ type: 'creature.start', name: 'swe', model: 'fake', cwd: '/', tools: [] }),
      ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'hello', source: 'user' }),
      ev({ type: 'text.delta', step: 1, text: 'Hi ' }),
      ev({ type: 'text.delta', step: 1, text: 'there' }),
    ]);
    expect(items(state)).toMatchObject([{ kind: 'user', text: 'hello' }, { kind: 'assistant', text: 'Hi there', streaming: true }]);
    expect(state.creatures['swe']?.turnActive).toBe(true);
    const done = fold([ev({ type: 'turn.end', turnIndex: 1, status: 'completed', text: 'Hi there', usage, steps: 1, toolCalls: 0, durationMs: 1 })], state);
    expect(items(done)[1]).toMatchObject({ streaming: false });
    expect(done.creatures['swe']?.turnActive).toBe(false);
  });

  it('turns a running tool block into its result with a diff and an output tail', () => {
    seq = 0;
    const long = Array.from({ length: OUTPUT_TAIL_LINES + 10 }, (_, i) => `line ${i}`).join('\n');
    const state = fold([
      ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'edit', source: 'user' }),
      ev({ type: 'text.delta', step: 1, text: 'Editing.' }),
      ev({ type: 'tool.call', callId: 'c1', name: 'edit', args: { path: 'a.ts' }, step: 1, background: false }),
    ]);
    expect(items(state)[2]).toMatchObject({ kind: 'tool', state: 'running' });
    expect(items(state)[1]).toMatchObject({ streaming: false });
    const done = fold([ev({ type: 'tool.result', callId: 'c1', name: 'edit', output: long, isError: false, status: 'ok', durationMs: 5, metadata: { diff: '-a\n+b' } })], state);
    const tool = items(done)[2] as Extract<ChatItem, { kind: 'tool' }>;
    expect(tool).toMatchObject({ state: 'ok', diff: '-a\n+b', durationMs: 5 });
    expect(tool.output.split('\n')).toHaveLength(OUTPUT_TAIL_LINES);
    expect(tool.output.endsWith(`line ${OUTPUT_TAIL_LINES + 9}`)).toBe(true);
  });

  it('puts a sub-agent run’s events inside its block', () => {
    seq = 0;
    const state = fold([
      ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'go', source: 'user' }),
      ev({ type: 'subagent.start', name: 'explore', jobId: 'j1', callId: 'c1', task: 'look', background: false, depth: 1 }),
      ev({ type: 'text.delta', step: 1, text: 'found' }, { agentPath: ['swe', 'explore'], runId: 'j1' }),
      ev({ type: 'tool.call', callId: 'c2', name: 'grep', args: {}, step: 1, background: false }, { agentPath: ['swe', 'explore'], runId: 'j1' }),
      ev({ type: 'subagent.end', name: 'explore', jobId: 'j1', callId: 'c1', status: 'completed', text: 'done', usage, steps: 1, toolCalls: 1, durationMs: 1 }),
    ]);
    const run = items(state)[1] as Extract<ChatItem, { kind: 'subagent' }>;
    expect(run).toMatchObject({ kind: 'subagent', state: 'completed', text: 'done' });
    expect(run.items.map((i) => i.kind)).toEqual(['assistant', 'tool']);
    expect(items(state)).toHaveLength(2);
  });

  it('keeps open questions until they are answered, and ignores repeated events', () => {
    seq = 0;
    const ask = ev({ type: 'interaction.request', id: 'i1', kind: 'approval', payload: { tool: 'bash', args: { command: 'ls' } } });
    const open = fold([ask, ask]);
    expect(open.interactions).toEqual([{ id: 'i1', kind: 'approval', payload: { tool: 'bash', args: { command: 'ls' } }, creatureId: 'swe' }]);
    const answered = fold([ev({ type: 'interaction.reply', id: 'i1', reply: 'once', outcome: 'answered' })], open);
    expect(answered.interactions).toEqual([]);
    expect(answered.lastSeq['swe']).toBe(2);
  });

  it('drops the partial answer on a retry and says why', () => {
    seq = 0;
    const state = fold([
      ev({ type: 'text.delta', step: 1, text: 'partial' }),
      ev({ type: 'llm.retry', step: 1, attempt: 1, maxRetries: 3, delayMs: 1, errorClass: 'RateLimit', message: 'slow down', discardedChars: 7 }),
    ]);
    expect(items(state)).toMatchObject([{ kind: 'info', tone: 'warning' }]);
  });

  it('shows the answer of a turn that streamed none, and how a failed turn ended', () => {
    seq = 0;
    const state = fold([
      ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: [{ type: 'text', text: 'q' }], source: 'user' }),
      ev({ type: 'turn.end', turnIndex: 1, status: 'limit', limit: 'max_steps', text: 'partial answer', usage, steps: 1, toolCalls: 0, durationMs: 1 }),
    ]);
    expect(items(state)).toMatchObject([{ kind: 'user', text: 'q' }, { kind: 'assistant', text: 'partial answer' }, { kind: 'info', text: 'The turn ended: limit (max_steps).' }]);
  });
});
