/**
 * Events → view model, as a pure function. The UI store folds every event
 * of the creature through `reduceView`; tests do the same with scripted
 * events, so what the screen shows is decided here, not in components.
 */
import type { AgentEvent, EventOf, UserContent } from '../../index.js';
import { summarizeArgs } from '../format.js';
import { shownInput } from './attachments.js';
import { startJob } from './background-jobs.js';
import { reduceTriggerEvent, startedByTrigger, triggerItem } from './triggers.js';
import type { Item, RunningSubagent, ViewState } from './view.js';

export interface ReduceOptions {
  /**
   * Where the streaming answer may be cut so the prefix renders on its own
   * (markdown-aware; 0 = nowhere yet). Injected so this module stays free of
   * the markdown library.
   */
  safeSplit: (text: string) => number;
  /** Most lines the streaming tail may hold before it is cut at a line end anyway (keeps the live region under the terminal height). */
  maxLiveLines: number;
}

/** Progress lines kept per running tool (the live region shows the tail that fits). */
const PREVIEW_LINES = 200;

export function reduceView(state: ViewState, event: AgentEvent, options: ReduceOptions): ViewState {
  if (event.agentPath.length > 1) return reduceNested(state, event);
  switch (event.type) {
    case 'creature.start':
      return { ...state, model: event.model, creature: event.name };
    case 'turn.start': {
      const next = { ...state, turnActive: true, phase: 'waiting' as const, queued: Math.max(0, state.queued - (event.source === 'user' ? 1 : 0)) };
      if (event.source === 'job') return commit(next, { kind: 'info', text: 'Background work finished; the creature picks up its results.', tone: 'info' });
      if (startedByTrigger(event.source, event.origin)) return commit(next, triggerItem(event.origin, event.source, inputText(event.input)));
      return commit(next, { kind: 'user', text: shownInput(inputText(event.input)) });
    }
    case 'input.queued':
      return { ...state, queued: state.queued + 1 };
    case 'input.injected':
      return commit(state, { kind: 'info', text: `Joined this turn: ${firstLineOf(inputText(event.input))}`, tone: 'info' });
    case 'step.start':
      return { ...state, phase: 'waiting', reasoning: '' };
    case 'reasoning.delta':
      return { ...estimateOutput(state, event.text.length), phase: 'thinking', reasoning: state.reasoning + event.text };
    case 'text.delta':
      return splitStreaming({ ...estimateOutput(state, event.text.length), phase: 'streaming', streaming: state.streaming + event.text }, options);
    case 'llm.retry': {
      // The partial answer is dropped by the engine; what was committed already stays on screen, so say so.
      const dropped = state.streaming.length > 0 || event.discardedChars > 0;
      const next = { ...state, streaming: '', streamingContinues: false };
      return commit(next, {
        kind: 'info',
        tone: 'warning',
        text: `${event.errorClass}${event.status ? ` (${event.status})` : ''}: ${event.message}; retry ${event.attempt}/${event.maxRetries}${dropped ? ' (the partial answer above is discarded)' : ''}`,
      });
    }
    case 'step.end':
      return flushStreaming(state);
    case 'tool.call': {
      const flushed = flushStreaming(state);
      if (event.background) return flushed;
      return {
        ...flushed,
        phase: 'tools',
        running: [...flushed.running, { callId: event.callId, name: event.name, summary: summarizeArgs(event.args), startedAt: event.ts, preview: [] }],
      };
    }
    case 'tool.progress': {
      if (!event.text) return state;
      const lines = event.text.split('\n').filter((line) => line.length > 0);
      return {
        ...state,
        running: state.running.map((tool) => (tool.callId === event.callId ? { ...tool, preview: [...tool.preview, ...lines].slice(-PREVIEW_LINES) } : tool)),
      };
    }
    case 'tool.result':
      return toolResult(state, event, []);
    case 'job.start':
      return startJob(state, event);
    case 'job.end': {
      const next = { ...state, jobs: state.jobs.filter((j) => j.jobId !== event.jobId) };
      if (event.kind === 'subagent') return next; // subagent.end tells the story
      return commit(next, { kind: 'info', tone: event.isError ? 'error' : 'success', text: `Background ${event.name} ${event.status} (${event.jobId})` });
    }
    case 'subagent.start':
      return {
        ...state,
        subagents: [
          ...state.subagents,
          { jobId: event.jobId, name: event.name, task: event.task, startedAt: event.ts, background: event.background, toolCalls: 0, activity: 'starting' },
        ],
      };
    case 'subagent.end': {
      const task = state.subagents.find((s) => s.jobId === event.jobId)?.task ?? '';
      const next = { ...state, subagents: state.subagents.filter((s) => s.jobId !== event.jobId) };
      return commit(next, {
        kind: 'subagent',
        name: event.name,
        task,
        status: event.status,
        text: event.text,
        durationMs: event.durationMs,
        steps: event.steps,
        toolCalls: event.toolCalls,
      });
    }
    case 'usage':
      // The exact figures replace the streaming estimate. A round cut off before the model reported
      // usage has contextTokens 0: the context did not shrink, so the meter keeps its figure.
      return {
        ...state,
        streamedChars: 0,
        usage: {
          ...event.total,
          contextTokens: event.contextTokens || state.usage.contextTokens,
          maxContext: event.maxContext ?? state.usage.maxContext,
        },
      };
    case 'model.changed':
      return { ...state, model: event.model, usage: { ...state.usage, maxContext: event.maxContext } };
    case 'interaction.request': {
      if (event.kind !== 'approval') return state;
      const callId = typeof event.payload['callId'] === 'string' ? event.payload['callId'] : undefined;
      return {
        ...state,
        phase: 'approval',
        awaiting: [...state.awaiting, { id: event.id, callId }],
        running: state.running.map((t) => (t.callId === callId && t.waitingSince === undefined ? { ...t, waitingSince: event.ts } : t)),
      };
    }
    case 'interaction.reply': {
      const asked = state.awaiting.find((a) => a.id === event.id);
      if (!asked) return state;
      const awaiting = state.awaiting.filter((a) => a.id !== event.id);
      // The wait is not the tool's time: its clock moves on from where it stopped.
      const running = state.running.map((t) =>
        t.callId === asked.callId && t.waitingSince !== undefined ? { ...t, startedAt: t.startedAt + Math.max(0, event.ts - t.waitingSince), waitingSince: undefined } : t,
      );
      const phase = awaiting.length ? 'approval' : running.length ? 'tools' : state.turnActive ? 'waiting' : 'idle';
      return { ...state, awaiting, running, phase };
    }
    case 'compaction.start':
      return { ...state, compacting: event.round };
    case 'compaction.end': {
      const done = { ...state, compacting: undefined };
      if (event.status !== 'done') return commit(done, { kind: 'info', tone: 'warning', text: `Compaction failed; the conversation is unchanged (${event.error ?? 'unknown error'}).` });
      // The next model call reports the real size; until then the estimate shows the drop.
      const usage = event.contextTokens !== undefined ? { ...done.usage, contextTokens: event.contextTokens } : done.usage;
      return commit({ ...done, usage }, { kind: 'info', tone: 'info', text: `Compacted ${event.messagesCompacted} earlier messages into a summary (round ${event.round}).` });
    }
    case 'plugin.report': {
      const cost = event.plugin === 'cost_tracker' ? event.data['costUsd'] : undefined;
      return typeof cost === 'number' ? { ...state, costUsd: cost } : state;
    }
    case 'context.trimmed':
      return commit(state, { kind: 'info', tone: 'warning', text: `The context overflowed: dropped the last tool round (${event.droppedTools.join(', ') || 'no tools'}) and retried.` });
    case 'trigger.added':
    case 'trigger.removed':
    case 'trigger.missed': {
      const { state: next, note } = reduceTriggerEvent(state, event);
      return note ? commit(next, note) : next;
    }
    case 'warning':
      return commit(state, { kind: 'info', tone: 'warning', text: event.message });
    case 'error':
      return commit(state, { kind: 'info', tone: 'error', text: event.error.message });
    case 'turn.end': {
      const flushed = flushStreaming(state);
      const idle = { ...flushed, turnActive: false, phase: 'idle' as const, running: [], reasoning: '', awaiting: [] };
      const note = turnNote(event);
      return note ? commit(idle, note) : idle;
    }
    default:
      return state;
  }
}

/** Events of a sub-agent: they move its activity line; its finished tools are kept in the transcript under it. */
function reduceNested(state: ViewState, event: AgentEvent): ViewState {
  const name = event.agentPath[event.agentPath.length - 1]!;
  const update = (change: (s: RunningSubagent) => Partial<RunningSubagent>): ViewState => {
    // The newest running sub-agent of that name: parallel ones of the same name are told apart only by order.
    const index = state.subagents.findLastIndex((s) => s.name === name);
    if (index < 0) return state;
    const subagents = [...state.subagents];
    subagents[index] = { ...subagents[index]!, ...change(subagents[index]!) };
    return { ...state, subagents };
  };
  switch (event.type) {
    case 'tool.call':
      return update((s) => ({ toolCalls: s.toolCalls + 1, activity: `${event.name} ${summarizeArgs(event.args, 60)}`.trim() }));
    case 'text.delta':
      return update((s) => {
        const line = lastLine(s.activity.startsWith('“') ? s.activity.slice(1) + event.text : event.text);
        return line ? { activity: `“${line.slice(-80)}` } : {};
      });
    case 'tool.result':
      return toolResult(state, event, event.agentPath.slice(1));
    default:
      return state;
  }
}

function toolResult(state: ViewState, event: EventOf<'tool.result'>, under: readonly string[]): ViewState {
  const call = state.running.find((t) => t.callId === event.callId);
  const running = state.running.filter((t) => t.callId !== event.callId);
  // A background placeholder result: the job strip shows it, not the transcript.
  if (!call && under.length === 0 && state.jobs.some((j) => event.output.includes(j.jobId))) return { ...state, running };
  return commit(
    { ...state, running, phase: running.length > 0 ? 'tools' : state.phase === 'tools' ? 'waiting' : state.phase },
    {
      kind: 'tool',
      callId: event.callId,
      name: event.name,
      summary: call?.summary ?? '',
      ok: !event.isError,
      status: event.status,
      output: event.output,
      durationMs: event.durationMs,
      metadata: event.metadata,
      under,
    },
  );
}

/**
 * While an answer streams the footer counts it: about 4 characters a token,
 * added to the output figure until the round's exact usage replaces it.
 */
function estimateOutput(state: ViewState, chars: number): ViewState {
  const streamedChars = state.streamedChars + chars;
  const added = Math.round(streamedChars / 4) - Math.round(state.streamedChars / 4);
  return { ...state, streamedChars, usage: added ? { ...state.usage, output: state.usage.output + added } : state.usage };
}

/** Commit the safe prefix of the streaming text, and cut an over-long tail at a line end. */
function splitStreaming(state: ViewState, options: ReduceOptions): ViewState {
  let next = state;
  const at = options.safeSplit(next.streaming);
  if (at > 0) next = commitChunk(next, at);
  const lines = countLines(next.streaming);
  if (lines > options.maxLiveLines) {
    // No safe point yet (a long code block or list): a line end keeps the live region bounded; the chunk renders on its own.
    const cut = nthLineEnd(next.streaming, lines - Math.floor(options.maxLiveLines / 2));
    if (cut > 0) next = commitChunk(next, cut);
  }
  return next;
}

function commitChunk(state: ViewState, at: number): ViewState {
  const head = state.streaming.slice(0, at).replace(/\n+$/, '');
  const tail = state.streaming.slice(at).replace(/^\n+/, '');
  if (!head.trim()) return { ...state, streaming: tail };
  const committed = commit(state, { kind: 'assistant', text: head, continues: state.streamingContinues });
  return { ...committed, streaming: tail, streamingContinues: true };
}

function flushStreaming(state: ViewState): ViewState {
  if (!state.streaming.trim()) return { ...state, streaming: '', streamingContinues: false };
  const next = commit(state, { kind: 'assistant', text: state.streaming.replace(/\n+$/, ''), continues: state.streamingContinues });
  return { ...next, streaming: '', streamingContinues: false };
}

export type NewItem = Item extends infer I ? (I extends Item ? Omit<I, 'id'> : never) : never;

/** Add an entry that comes from the UI, not the creature (command output, shell output). */
export function addItem(state: ViewState, item: NewItem): ViewState {
  return commit(state, item);
}

function commit(state: ViewState, item: NewItem): ViewState {
  return { ...state, committed: [...state.committed, { ...item, id: state.nextId } as Item], nextId: state.nextId + 1 };
}

function turnNote(event: EventOf<'turn.end'>): NewItem | undefined {
  switch (event.status) {
    case 'completed':
      return undefined;
    case 'interrupted':
      return { kind: 'info', tone: 'warning', text: 'Interrupted.' };
    case 'cancelled':
      return { kind: 'info', tone: 'warning', text: 'The turn was cancelled.' };
    case 'timeout':
      return { kind: 'info', tone: 'error', text: `The turn timed out after ${(event.durationMs / 1000).toFixed(1)}s.` };
    case 'limit':
      return { kind: 'info', tone: 'warning', text: `Stopped at the ${event.limit ?? ''} limit after ${event.steps} LLM rounds.` };
    case 'error':
      return { kind: 'info', tone: 'error', text: event.error?.message ?? 'The turn failed.' };
  }
}

export function inputText(input: UserContent): string {
  if (typeof input === 'string') return withoutShellContext(input);
  // `!cmd` output rides in a part of its own: the model reads it, the transcript showed it already.
  return input
    .filter((part) => !(part.type === 'text' && part.text.startsWith(SHELL_BLOCK)))
    .map((part) => (part.type === 'text' ? part.text : '[image]'))
    .join('\n');
}

const SHELL_BLOCK = '<bash-input>';

/** A message as the user typed it, without the `!cmd` blocks in front (a resumed log joins parts into one text). */
export function withoutShellContext(text: string): string {
  if (!text.startsWith(SHELL_BLOCK)) return text;
  const end = text.lastIndexOf('</bash-stdout>\n\n');
  return end < 0 ? text : text.slice(end + '</bash-stdout>\n\n'.length);
}

function firstLineOf(text: string): string {
  return text.split('\n').find((l) => l.trim())?.trim() ?? '';
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.at(-1)?.trim() ?? '';
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Index just after the `n`th newline, or 0. */
function nthLineEnd(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return 0;
  }
  return at + 1;
}
