/**
 * The plain REPL's approval question on a real terminal (tmux plays the
 * user) offers what the terminal app's dialog offers: `a` saves the narrow
 * rule to the project's .kt/settings.json and the next matching call runs
 * unasked; `n` then a line refuses with the person's words reaching the
 * model. And `kt run --verbose` starts the app with full tool output.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { envFor, ktRun, tempProject, tmuxLifecycle } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

type Message = { role: string; content: string };
const messagesOf = (s: FakeOpenAIServer, i: number) => s.requests[i]!.body!.messages as Message[];
const bash = (id: string, command: string) => ({ toolCalls: [{ id, name: 'bash', arguments: { command } }] });

describe('approvals in the plain REPL', () => {
  it('a saves bash(git status:*) and the next git status runs unasked; n and a line refuse with those words', async () => {
    server = await startFakeOpenAI({
      script: [
        bash('b1', 'git status -s'),
        bash('b2', 'git status --short'),
        { text: 'Status checked.' },
        bash('b3', 'rm -rf build'),
        { text: 'Understood, not removing it.' },
      ],
    });
    const dir = tempProject('kt-plain-approvals-');
    execFileSync('git', ['init', '-q', dir]);
    terminal = new TmuxSession(ktRun(dir, '--mode plain'), envFor(server), { width: 160, height: 40 });
    await terminal.waitFor(/^>/m);
    terminal.type('check the status', true);
    const asked = await terminal.waitFor(/Allow bash: \$ git status -s[\s\S]*answer>/);
    expect(asked).toMatch(/\[y\] Yes\n {2}\[a\] Yes, and don’t ask again for bash\(git status:\*\) in this project\n {2}\[n\] No, and tell the creature what to do instead/);
    terminal.type('a', true);
    const checked = await terminal.waitFor(/Status checked\./);
    expect(checked).not.toMatch(/Allow bash: \$ git status --short/); // the saved rule covered it
    expect(JSON.parse(readFileSync(join(dir, '.kt', 'settings.json'), 'utf8'))).toEqual({ permissions: { allow: ['bash(git status:*)'], deny: [] } });
    expect(messagesOf(server, 2).filter((m) => m.role === 'tool')).toHaveLength(2);

    terminal.type('clean up the build', true);
    await terminal.waitFor(/Allow bash: \$ rm -rf build[\s\S]*\[a\] Yes, and don’t ask again for bash\(rm:\*\)[\s\S]*answer>/);
    terminal.type('n', true);
    await terminal.waitFor(/What should the creature do instead\?[\s\S]*answer>/);
    terminal.type('keep the build folder, list it instead', true);
    await terminal.waitFor(/Understood, not removing it\./);
    const told = messagesOf(server, 4).at(-1)!;
    expect(told.role).toBe('tool');
    expect(told.content).toMatch(/did not allow this bash call and said what to do instead: keep the build folder, list it instead/);
    // Only the "always" answer was saved.
    expect(JSON.parse(readFileSync(join(dir, '.kt', 'settings.json'), 'utf8')).permissions.allow).toEqual(['bash(git status:*)']);
    terminal.type('/exit', true);
    await terminal.waitFor(/KT_EXITED=0/);
  });
});

describe('kt run --verbose in the terminal app', () => {
  it('a finished command keeps all its output lines, not the last 5', async () => {
    server = await startFakeOpenAI({ script: [bash('v1', "seq -f 'out-%g' 1 12"), { text: 'Counted.' }] });
    terminal = new TmuxSession(ktRun(tempProject('kt-verbose-'), '--verbose --approval-mode yolo'), envFor(server), { width: 120, height: 40 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('count', true);
    const done = await terminal.waitFor(/Counted\.[\s\S]*· ready/);
    expect(done).toMatch(/✓ bash seq -f 'out-%g' 1 12.*\n(\s+out-\d+\n){12}/);
    expect(done).not.toMatch(/earlier lines/);
  });
});
