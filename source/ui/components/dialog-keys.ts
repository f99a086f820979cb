/**
 * What keys mean while a dialog or the history search is open, as pure
 * functions of the key and the current state; the prompt area applies the
 * result. Tested without Ink.
 */
import type { ApprovalAnswer } from '../../index.js';
import { alwaysAnswer, APPROVAL_LETTERS, approvalOptions, refusalAnswer, type ApprovalOption } from '../../builtins/permissions/approval-choices.js';
import { bufferActionFor, createBuffer, expandPastes, reduceBuffer, type Command, type KeyEvent, type PromptHistory, type TextBuffer } from '../input/index.js';

/** The approval dialog's own state: the highlighted choice, and the "what instead" field once opened. */
export interface ApprovalChoice {
  selected: number;
  instead: TextBuffer | undefined;
}

export type ApprovalStep = { kind: 'decide'; answer: ApprovalAnswer } | { kind: 'update'; choice: ApprovalChoice } | { kind: 'ignore' };

/**
 * Keys in the approval dialog. Choices: y / 1 yes; a / 2 yes and don't ask
 * again for `rules`; n / 3 no, and type what to do instead (Enter sends it,
 * an empty field is a plain no, Esc goes back). Up / Down and Enter pick;
 * Esc and Ctrl+C say no at once.
 */
export function approvalStep(current: ApprovalChoice, event: KeyEvent, command: Command, rules: readonly string[]): ApprovalStep {
  const options = approvalOptions(rules);
  if (current.instead) {
    if (command === 'ctrlC') return { kind: 'decide', answer: 'deny' };
    if (command === 'interrupt') return { kind: 'update', choice: { ...current, instead: undefined } };
    if (command === 'submit') {
      return { kind: 'decide', answer: refusalAnswer(expandPastes(current.instead)) };
    }
    const action = bufferActionFor(command, event);
    return action ? { kind: 'update', choice: { ...current, instead: reduceBuffer(current.instead, action) } } : { kind: 'ignore' };
  }
  const pick = (option: ApprovalOption | undefined): ApprovalStep => {
    if (option === 'once') return { kind: 'decide', answer: 'once' };
    if (option === 'always') return { kind: 'decide', answer: alwaysAnswer(rules) };
    if (option === 'instead') return { kind: 'update', choice: { selected: options.indexOf('instead'), instead: createBuffer() } };
    return { kind: 'ignore' };
  };
  if (command === 'interrupt' || command === 'ctrlC') return { kind: 'decide', answer: 'deny' };
  if (command === 'submit') return pick(options[current.selected]);
  if (command === 'up' || command === 'historyPrev') return { kind: 'update', choice: { ...current, selected: Math.max(0, current.selected - 1) } };
  if (command === 'down' || command === 'historyNext') return { kind: 'update', choice: { ...current, selected: Math.min(options.length - 1, current.selected + 1) } };
  const typed = event.kind === 'key' && command === 'insert' ? event.sequence.toLowerCase() : '';
  if (/^[1-9]$/.test(typed)) return pick(options[Number(typed) - 1]);
  const option = options.find((o) => APPROVAL_LETTERS[o] === typed);
  return option ? pick(option) : { kind: 'ignore' };
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
