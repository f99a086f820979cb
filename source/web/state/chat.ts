/**
 * Events → the chat a browser shows, as a pure function. The dashboard folds
 * every event of a session's WebSocket through `reduceChat`; tests fold
 * scripted events the same way, so what the page shows is decided here.
 *
 * Unlike the terminal (source/ui/state/), a page has no scrollback to commit
 * to: items are updated in place (a streaming answer grows, a running tool
 * block turns into its result), keyed by call id or step.
 */
import type { AgentEvent, EventOf } from '../../engine/events.js';

export type ToolState = 'running' | 'ok' | 'error' | 'interrupted' | 'cancelled' | 'timeout';

export type ChatItem =
  | { kind: 'user'; key: string; text: string; source: string }
  | { kind: 'assistant'; key: string; text: string; streaming: boolean }
  | { kind: 'tool'; key: string; callId: string; name: string; args: unknown; state: ToolState; output: string; diff?: string; durationMs?: number }
  | { kind: 'subagent'; key: string; jobId: string; name: string; task: string; state: 'running' | string; text: string; items: ChatItem[] }
  | { kind: 'info'; key: string; tone: 'info' | 'warning' | 'error'; text: string };

export interface Interaction {
  id: string;
  kind: 'approval' | 'ask' | 'confirm' | 'select';
  payload: Record<string, unknown>;
  creatureId: string;
}

export interface CreatureChat {
  creatureId: string;
  name: string;
  model: string;
  items: ChatItem[];
  turnActive: boolean;
}

export interface ChatState {
  /** Highest seq seen per creature: the `since` a reconnect resumes from, and the guard against duplicates. */
  lastSeq: Record<string, number>;
  creatures: Record<string, CreatureChat>;
  /** Open questions, oldest first, across creatures. */
  interactions: Interaction[];
}

export const emptyChat: ChatState = { lastSeq: {}, creatures: {}, interactions: [] };

/** Lines of a tool's output a block keeps (the page shows a tail; the full text is in the session). */
export const OUTPUT_TAIL_LINES = 40;

export function reduceChat(state: ChatState, event: AgentEvent): ChatState {
  // A resumed socket may repeat what the page already has.
  if (event.seq <= (state.lastSeq[event.creatureId] ?? 0)) return state;
  const next: ChatState = { ...state, lastSeq: { ...state.lastSeq, [event.creatureId]: event.seq } };
  if (event.type === 'interaction.request') {
    return { ...next, interactions: [...next.interactions, { id: event.id, kind: event.kind, payload: event.payload, creatureId: event.creatureId }] };
  }
  if (event.type === 'interaction.reply') return { ...next, interactions: next.interactions.filter((i) => i.id !== event.id) };
  const creature = next.creatures[event.creatureId] ?? { creatureId: event.creatureId, name: event.agentPath[0] ?? event.creatureId, model: '', items: [], turnActive: false };
  const updated = reduceCreature(creature, event);
  return updated === creature ? next : { ...next, creatures: { ...next.creatures, [event.creatureId]: updated } };
}

function reduceCreature(chat: CreatureChat, event: AgentEvent): CreatureChat {
  if (event.agentPath.length > 1) return nested(chat, event);
  switch (event.type) {
    case 'creature.start':
      return { ...chat, name: event.name, model: event.model };
    case 'model.changed':
      return { ...chat, model: event.model };
    case 'turn.start':
      return { ...chat, turnActive: true, items: [...chat.items, { kind: 'user', key: `u${event.seq}`, text: inputText(event.input), source: event.source }] };
    case 'turn.end':
      return { ...chat, turnActive: false, items: endTurn(chat.items, event) };
    default:
      return { ...chat, items: reduceItems(chat.items, event) };
  }
}

/** What a creature's own events and a sub-agent's events both do to a list of items. */
function reduceItems(items: ChatItem[], event: AgentEvent): ChatItem[] {
  switch (event.type) {
    case 'text.delta': {
      const last = items.at(-1);
      if (last?.kind === 'assistant' && last.streaming) return [...items.slice(0, -1), { ...last, text: last.text + event.text }];
      return [...items, { kind: 'assistant', key: `a${event.seq}`, text: event.text, streaming: true }];
    }
    case 'llm.retry':
      return [...stopStreaming(items, true), { kind: 'info', key: `r${event.seq}`, tone: 'warning', text: `${event.errorClass}: ${event.message}; retry ${event.attempt}/${event.maxRetries}` }];
    case 'step.end':
      return stopStreaming(items, false);
    case 'tool.call':
      return [...stopStreaming(items, false), { kind: 'tool', key: `t${event.callId}`, callId: event.callId, name: event.name, args: event.args, state: 'running', output: '' }];
    case 'tool.progress':
      if (!event.text) return items;
      return updateTool(items, event.callId, (tool) => ({ ...tool, output: tail(tool.output + event.text) }));
    case 'tool.result':
      return updateTool(items, event.callId, (tool) => ({ ...tool, ...toolOutcome(event) }));
    case 'subagent.start':
      return [...stopStreaming(items, false), { kind: 'subagent', key: `s${event.jobId}`, jobId: event.jobId, name: event.name, task: event.task, state: 'running', text: '', items: [] }];
    case 'subagent.end':
      return items.map((item) => (item.kind === 'subagent' && item.jobId === event.jobId ? { ...item, state: event.status, text: event.text, items: stopStreaming(item.items, false) } : item));
    case 'warning':
      return [...items, { kind: 'info', key: `w${event.seq}`, tone: 'warning', text: event.message }];
    case 'error':
      return [...items, { kind: 'info', key: `e${event.seq}`, tone: 'error', text: event.error.message }];
    default:
      return items;
  }
}

/** A sub-agent's events land inside its run's block (found by run id, else the newest run of that name). */
function nested(chat: CreatureChat, event: AgentEvent): CreatureChat {
  const name = event.agentPath[1];
  const index = findLastIndex(chat.items, (item) => item.kind === 'subagent' && (event.runId ? item.jobId === event.runId : item.name === name));
  if (index < 0) return chat;
  const run = chat.items[index] as Extract<ChatItem, { kind: 'subagent' }>;
  const items = reduceItems(run.items, event);
  if (items === run.items) return chat;
  return { ...chat, items: chat.items.map((item, i) => (i === index ? { ...run, items } : item)) };
}

function endTurn(items: ChatItem[], event: EventOf<'turn.end'>): ChatItem[] {
  const done = stopStreaming(items, false);
  // A turn that streamed nothing (a text tool format, a replayed log) still shows its answer.
  const answered = done.some((item, i) => item.kind === 'assistant' && i > findLastIndex(done, (x) => x.kind === 'user'));
  const withText = !answered && event.text.trim() ? [...done, { kind: 'assistant' as const, key: `a${event.seq}`, text: event.text, streaming: false }] : done;
  if (event.status === 'completed') return withText;
  const text = event.status === 'error' && event.error ? `The turn failed: ${event.error.message}` : `The turn ended: ${event.status}${event.limit ? ` (${event.limit})` : ''}.`;
  return [...withText, { kind: 'info', key: `end${event.seq}`, tone: event.status === 'error' ? 'error' : 'warning', text }];
}

function stopStreaming(items: ChatItem[], discard: boolean): ChatItem[] {
  const last = items.at(-1);
  if (last?.kind !== 'assistant' || !last.streaming) return items;
  return discard ? items.slice(0, -1) : [...items.slice(0, -1), { ...last, streaming: false }];
}

function updateTool(items: ChatItem[], callId: string, change: (tool: Extract<ChatItem, { kind: 'tool' }>) => ChatItem): ChatItem[] {
  return items.map((item) => (item.kind === 'tool' && item.callId === callId ? change(item) : item));
}

function toolOutcome(event: EventOf<'tool.result'>): { state: ToolState; output: string; durationMs: number; diff?: string } {
  const diff = event.metadata?.['diff'];
  return { state: event.status, output: tail(event.output), durationMs: event.durationMs, ...(typeof diff === 'string' ? { diff } : {}) };
}

/** The last OUTPUT_TAIL_LINES lines of a text. */
export function tail(text: string, lines = OUTPUT_TAIL_LINES): string {
  const all = text.split('\n');
  return all.length <= lines ? text : all.slice(-lines).join('\n');
}

function inputText(input: EventOf<'turn.start'>['input']): string {
  if (typeof input === 'string') return input;
  return input.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

function findLastIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i] as T)) return i;
  return -1;
}
