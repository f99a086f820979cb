/**
 * A resumed session's transcript, rebuilt from its log before the prompt
 * appears: the turns on the live path as the items they were shown as.
 */
import { shownInput } from './attachments.js';
import type { TurnRecord, Usage } from '../../index.js';
import { summarizeArgs } from '../format.js';
import { addItem, withoutShellContext } from './reduce.js';
import type { ViewState } from './view.js';

/**
 * Turns repainted at most: the rest stay in the session (kt search,
 * SessionReader). Painting thousands of items into the terminal at start
 * costs seconds and hundreds of MB for scrollback nobody reads.
 */
export const REPAINT_TURNS = 50;

export function withHistory(state: ViewState, turns: readonly TurnRecord[]): ViewState {
  let next = state;
  const hidden = Math.max(0, turns.length - REPAINT_TURNS);
  if (hidden > 0) {
    next = addItem(next, { kind: 'info', tone: 'info', text: `… ${turnsWord(hidden, 'earlier')} ${hidden === 1 ? 'is' : 'are'} in the session, not shown (kt search finds them).` });
  }
  for (const turn of turns.slice(hidden)) {
    // As live: attached files show as `@path (n lines)`, never their whole text.
    next = addItem(next, { kind: 'user', text: shownInput(withoutShellContext(turn.userText)) });
    for (const call of turn.toolCalls) {
      next = addItem(next, {
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
    if (turn.assistantText.trim()) next = addItem(next, { kind: 'assistant', text: turn.assistantText.trim(), continues: false });
    const ended = endNote(turn);
    if (ended) next = addItem(next, ended);
  }
  if (turns.length > 0) next = addItem(next, { kind: 'info', tone: 'info', text: `Resumed: ${turnsWord(turns.length, 'earlier')} above.` });
  return next;
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
