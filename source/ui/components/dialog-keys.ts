/**
 * What keys mean while a dialog or the history search is open, as pure
 * functions of the key and the current state; the prompt area applies the
 * result. Tested without Ink.
 */
import type { ApprovalDecision } from '../../index.js';
import type { Command, KeyEvent, PromptHistory } from '../input/index.js';

/** y / Enter: once; a: always for this tool; n / Esc / Ctrl+C: no; anything else: still waiting. */
export function approvalDecision(event: KeyEvent, command: Command): ApprovalDecision | undefined {
  const typed = event.kind === 'key' && command === 'insert' ? event.sequence.toLowerCase() : '';
  if (command === 'submit' || typed === 'y') return 'once';
  if (typed === 'a') return 'always';
  if (typed === 'n' || command === 'interrupt' || command === 'ctrlC') return 'deny';
  return undefined;
}

/** The answer to send: a bare number picks that choice, anything else is sent as typed. */
export function answerFor(typed: string, choices: readonly string[] | undefined): string {
  const trimmed = typed.trim();
  const picked = choices && /^\d+$/.test(trimmed) ? choices[Number(trimmed) - 1] : undefined;
  return picked ?? trimmed;
}

export interface SearchState {
  query: string;
  match: string | undefined;
  index: number | undefined;
}

export type SearchStep = { kind: 'update'; search: SearchState } | { kind: 'close'; recall?: string } | { kind: 'ignore' };

/** Ctrl+R search: typing narrows, Ctrl+R again goes to the next older match, Enter takes it, Esc leaves. */
export function searchStep(current: SearchState, event: KeyEvent, command: Command, history: PromptHistory): SearchStep {
  if (command === 'interrupt' || command === 'ctrlC') return { kind: 'close' };
  if (command === 'submit') return current.match !== undefined ? { kind: 'close', recall: current.match } : { kind: 'close' };
  if (command === 'reverseSearch') {
    const next = current.index !== undefined && current.index > 0 ? history.search(current.query, current.index - 1) : undefined;
    return { kind: 'update', search: { ...current, match: next?.entry ?? current.match, index: next?.index ?? current.index } };
  }
  let query = current.query;
  if (command === 'backspace') query = query.slice(0, -1);
  else if (command === 'insert' && event.kind === 'key') query += event.sequence;
  else if (command === 'paste' && event.kind === 'paste') query += event.text;
  else return { kind: 'ignore' };
  const found = query ? history.search(query) : undefined;
  return { kind: 'update', search: { query, match: found?.entry, index: found?.index } };
}
