/**
 * A resumed session's transcript, rebuilt from its log before the prompt
 * appears: the turns on the live path as the items they were shown as.
 */
import { shownInput } from './attachments.js';
import type { TurnRecord, Usage } from '../../index.js';
import { summarizeArgs } from '../format.js';
import { visibleTail } from './history-tail.js';
import { startedByTrigger, triggerItem } from './triggers.js';
import { addItem, withoutShellContext, type NewItem } from './reduce.js';
import type { Item, ViewState } from './view.js';

/**
 * Turns repainted at most: the rest stay in the session (kt search,
 * SessionReader). Painting thousands of items into the terminal at start
 * costs seconds and hundreds of MB for scrollback nobody reads.
 */
export const REPAINT_TURNS = 50;

/** The repainted transcript, committed (the cli mode prints it into the scrollback). */
export function withHistory(state: ViewState, turns: readonly TurnRecord[]): ViewState {
  return historyItems(turns).reduce(addItem, { ...state, preview: [] });
}

/**
 * The repaint's last screenful, shown at once in the live region (`preview`)
 * while `withHistory` renders the rest: on a long session the last turn is
 * up before the scrollback behind it is written. Nothing is committed, so
 * the scrollback still gets the whole repaint, in order.
 */
export function withHistoryPreview(state: ViewState, turns: readonly TurnRecord[], screen: { rows: number; columns: number }): ViewState {
  // Ids below zero: these entries are never committed, and must not take ids the committed ones will.
  const preview = visibleTail(historyItems(turns), screen).map((item, i, all) => ({ ...item, id: i - all.length }) as Item);
  return { ...state, preview };
}

/** The entries a resumed session's transcript starts with, oldest first. */
export function historyItems(turns: readonly TurnRecord[]): NewItem[] {
  const items: NewItem[] = [];
  const hidden = Math.max(0, turns.length - REPAINT_TURNS);
  if (hidden > 0) {
    items.push({ kind: 'info', tone: 'info', text: `… ${turnsWord(hidden, 'earlier')} ${hidden === 1 ? 'is' : 'are'} in the session, not shown (kt search finds them).` });
  }
  for (const turn of turns.slice(hidden)) {
    // As live: attached files show as `@path (n lines)`, never their whole text.
    if (turn.source && startedByTrigger(turn.source, turn.origin)) items.push(triggerItem(turn.origin, turn.source, turn.userText));
    else items.push({ kind: 'user', text: shownInput(withoutShellContext(turn.userText)) });
    for (const call of turn.toolCalls) {
      items.push({
        kind: 'tool',
        callId: call.callId,
        name: call.name,
        summary: summarizeArgs(call.args),
        ok: !call.error,
        status: call.error ? 'error' : 'ok',
        output: call.result ?? '',
        durationMs: call.durationMs ?? 0,
        under: [],
      });
    }
    if (turn.assistantText.trim()) items.push({ kind: 'assistant', text: turn.assistantText.trim(), continues: false });
    const ended = endNote(turn);
    if (ended) items.push(ended);
  }
  if (turns.length > 0) items.push({ kind: 'info', tone: 'info', text: `Resumed: ${turnsWord(turns.length, 'earlier')} above.` });
  return items;
}

/** How a turn that did not complete ended, as the live transcript said it (a turn the process died in has no status). */
function endNote(turn: TurnRecord): { kind: 'info'; tone: 'warning' | 'error'; text: string } | undefined {
  switch (turn.status) {
    case 'interrupted':
      return { kind: 'info', tone: 'warning', text: 'Interrupted.' };
    case 'cancelled':
      return { kind: 'info', tone: 'warning', text: 'The turn was cancelled.' };
    case 'timeout':
      return { kind: 'info', tone: 'error', text: `The turn timed out after ${((turn.durationMs ?? 0) / 1000).toFixed(1)}s.` };
    case 'limit':
      return { kind: 'info', tone: 'warning', text: 'Stopped at a limit.' };
    case 'error':
      return { kind: 'info', tone: 'error', text: 'The turn failed.' };
    default:
      return undefined;
  }
}

function turnsWord(n: number, adjective: string): string {
  return `${n} ${adjective} turn${n === 1 ? '' : 's'}`;
}

/**
 * The footer as the session left it: token totals and how full the context
 * was, instead of starting again at zero.
 */
export function withRestoredUsage(state: ViewState, restored: { usage: Usage; contextTokens: number; maxContext: number | undefined }): ViewState {
  return {
    ...state,
    usage: {
      ...restored.usage,
      contextTokens: restored.contextTokens || state.usage.contextTokens,
      maxContext: restored.maxContext ?? state.usage.maxContext,
    },
  };
}
