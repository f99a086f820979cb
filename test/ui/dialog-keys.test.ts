import { describe, expect, it } from 'vitest';
import { answerFor, approvalStep, searchStep, type SearchState, type SearchStep } from '../../source/ui/components/dialog-keys.js';
import { PromptHistory } from '../../source/ui/input/index.js';

const key = (name: string, sequence = name) => ({ kind: 'key' as const, name, sequence, ctrl: false, meta: false, shift: false });

const searchOf = (step: SearchStep): SearchState => {
  if (step.kind !== 'update') throw new Error(`expected an update, got ${step.kind}`);
  return step.search;
};

describe('dialog keys', () => {
  it('approvals: y or Enter once, a always for the rules, Esc / Ctrl+C no, other keys wait', () => {
    const start = { selected: 0, instead: undefined };
    expect(approvalStep(start, key('text', 'y'), 'insert', ['bash(ls:*)'])).toEqual({ kind: 'decide', answer: 'once' });
    expect(approvalStep(start, key('enter'), 'submit', ['bash(ls:*)'])).toEqual({ kind: 'decide', answer: 'once' });
    expect(approvalStep(start, key('text', 'A'), 'insert', ['bash(ls:*)'])).toEqual({ kind: 'decide', answer: { decision: 'always', rules: ['bash(ls:*)'] } });
    expect(approvalStep(start, key('escape'), 'interrupt', [])).toEqual({ kind: 'decide', answer: 'deny' });
    expect(approvalStep(start, key('c'), 'ctrlC', [])).toEqual({ kind: 'decide', answer: 'deny' });
    expect(approvalStep(start, key('text', 'x'), 'insert', [])).toEqual({ kind: 'ignore' });
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
