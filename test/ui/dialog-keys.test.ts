import { describe, expect, it } from 'vitest';
import { answerFor, approvalDecision, searchStep, type SearchState, type SearchStep } from '../../source/ui/components/dialog-keys.js';
import { PromptHistory } from '../../source/ui/input/index.js';

const key = (name: string, sequence = name) => ({ kind: 'key' as const, name, sequence, ctrl: false, meta: false, shift: false });

const searchOf = (step: SearchStep): SearchState => {
  if (step.kind !== 'update') throw new Error(`expected an update, got ${step.kind}`);
  return step.search;
};

describe('dialog keys', () => {
  it('approvals: y or Enter once, a always, n / Esc / Ctrl+C no, other keys wait', () => {
    expect(approvalDecision(key('text', 'y'), 'insert')).toBe('once');
    expect(approvalDecision(key('enter'), 'submit')).toBe('once');
    expect(approvalDecision(key('text', 'A'), 'insert')).toBe('always');
    expect(approvalDecision(key('text', 'n'), 'insert')).toBe('deny');
    expect(approvalDecision(key('escape'), 'interrupt')).toBe('deny');
    expect(approvalDecision(key('text', 'x'), 'insert')).toBeUndefined();
  });

  it('answers: a number picks a choice, anything else goes as typed', () => {
    expect(answerFor(' 2 ', ['red', 'blue'])).toBe('blue');
    expect(answerFor('9', ['red', 'blue'])).toBe('9');
    expect(answerFor('green please', ['red'])).toBe('green please');
    expect(answerFor('3', undefined)).toBe('3');
  });

  it('reverse search narrows as you type, steps to older matches, and recalls on Enter', () => {
    const history = new PromptHistory(undefined);
    for (const entry of ['npm test', 'git status', 'npm run build']) history.add(entry);
    let step = searchStep({ query: '', match: undefined, index: undefined }, key('text', 'npm'), 'insert', history);
    expect(step).toEqual({ kind: 'update', search: { query: 'npm', match: 'npm run build', index: 2 } });
    step = searchStep(searchOf(step), key('r'), 'reverseSearch', history);
    expect(step).toEqual({ kind: 'update', search: { query: 'npm', match: 'npm test', index: 0 } });
    expect(searchStep(searchOf(step), key('enter'), 'submit', history)).toEqual({ kind: 'close', recall: 'npm test' });
    expect(searchStep({ query: 'x', match: undefined, index: undefined }, key('escape'), 'interrupt', history)).toEqual({ kind: 'close' });
  });
});
