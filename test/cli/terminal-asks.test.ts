/**
 * The plain approval question offers what the terminal app's dialog offers
 * and answers in the same shapes: yes; yes and don't ask again for the
 * narrow rule (only when there is one); no, with what to do instead.
 */
import { describe, expect, it } from 'vitest';
import { askApproval } from '../../source/cli/terminal-asks.js';
import type { ApprovalRequest } from '../../source/engine/tools/approval.js';

const bash = (command: string): ApprovalRequest => ({ tool: 'bash', effect: 'execute', args: { command }, agentPath: ['c'] });

/** A terminal that answers with `lines`, in order, and keeps the questions. */
function terminal(...lines: string[]) {
  const asked: string[] = [];
  return {
    asked,
    ask: async (question: string) => {
      asked.push(question);
      const line = lines.shift();
      if (line === undefined) throw new Error(`no answer left for: ${question}`);
      return line;
    },
  };
}

const signal = new AbortController().signal;

describe('the plain approval question', () => {
  it('offers the narrow rule and answers "a" with it', async () => {
    const t = terminal('a');
    expect(await askApproval(t, bash('git status -s'), signal, '/p')).toEqual({ decision: 'always', rules: ['bash(git status:*)'] });
    expect(t.asked[0]).toMatch(/Allow bash: \$ git status -s\n {2}\[y\] Yes\n {2}\[a\] Yes, and don’t ask again for bash\(git status:\*\) in this project\n {2}\[n\] No, and tell the creature what to do instead/);
  });

  it('y is once; n asks what to do instead, and an empty line is a plain no', async () => {
    expect(await askApproval(terminal('y'), bash('ls'), signal, '/p')).toBe('once');
    const refused = terminal('n', 'use git log instead');
    expect(await askApproval(refused, bash('ls'), signal, '/p')).toEqual({ decision: 'deny', message: 'use git log instead' });
    expect(refused.asked[1]).toMatch(/What should the creature do instead\?/);
    expect(await askApproval(terminal('n', ''), bash('ls'), signal, '/p')).toBe('deny');
    expect(await askApproval(terminal('n  run the tests first'), bash('ls'), signal, '/p')).toEqual({ decision: 'deny', message: 'run the tests first' });
    expect(await askApproval(terminal('maybe'), bash('ls'), signal, '/p')).toBe('deny');
  });

  it('without a safe rule "don\'t ask again" is not offered, and "a" is a no', async () => {
    const t = terminal('a');
    expect(await askApproval(t, bash('echo $(whoami)'), signal, '/p')).toBe('deny');
    expect(t.asked[0]).not.toMatch(/\[a\]/);
  });
});
