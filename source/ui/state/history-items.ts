/**
 * A resumed session's transcript, rebuilt from its log before the prompt
 * appears: the turns on the live path as the items they were shown as.
 */
import type { TurnRecord } from '../../index.js';
import { summarizeArgs } from '../format.js';
import { addItem } from './reduce.js';
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
    next = addItem(next, { kind: 'info', tone: 'info', text: `… ${hidden} earlier turns are in the session, not shown (kt search finds them).` });
  }
  for (const turn of turns.slice(hidden)) {
    next = addItem(next, { kind: 'user', text: turn.userText });
    for (const call of turn.toolCalls) {
      next = addItem(next, {
        kind: 'tool',
        callId: call.callId,
        name: call.name,
        summary: summarizeArgs(call.args),
        ok: !call.error,
        status: call.error ? 'error' : 'ok',
        output: call.result ?? '',
        durationMs: 0,
        under: [],
      });
    }
    if (turn.assistantText.trim()) next = addItem(next, { kind: 'assistant', text: turn.assistantText.trim(), continues: false });
  }
  if (turns.length > 0) next = addItem(next, { kind: 'info', tone: 'info', text: `Resumed: ${turns.length} earlier turns above.` });
  return next;
}
