/**
 * The cli mode's screen handling on a real terminal (tmux plays the user):
 * a resize redraws cleanly at the new width, idle and mid-turn, with no box
 * fragments on screen or in scrollback; Ctrl+L clears the screen and draws
 * the prompt box and footer at once; `/clear` empties screen and scrollback
 * and the model starts afresh; a finished command keeps its output's tail.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tmuxLifecycle, envFor, ktRun, tempProject } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

const project = () => tempProject('kt-ui-screen-');

/** Scrollback and screen together, as a user scrolling back would see them. */
function everything(session: TmuxSession): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-S', '-', '-t', session.name], { encoding: 'utf8' });
}

/** The prompt box drawn whole at exactly `width` columns. */
const boxAt = (width: number) => new RegExp(`^╭─{${width - 2}}╮$[\\s\\S]*^╰─{${width - 2}}╯$`, 'm');

/** Every box-drawing line in the whole history belongs to one box `width` wide: no fragments of older frames. */
function expectOneCleanBox(history: string, width: number): void {
  const borderLines = history.split('\n').filter((line) => /[╭╮╰╯─]{3}/.test(line));
  expect(borderLines.map((l) => l.trimEnd())).toEqual([`╭${'─'.repeat(width - 2)}╮`, `╰${'─'.repeat(width - 2)}╯`]);
  for (const line of history.split('\n').filter((l) => l.startsWith('│'))) expect(line.trimEnd()).toMatch(new RegExp(`^│.{${width - 2}}│$`, 'u'));
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('kt run --mode cli: the screen', () => {
  it('redraws cleanly on every resize, idle and mid-turn (100→80→70→110)', async () => {
    server = await startFakeOpenAI({
      script: [
        { text: 'First answer, kept in the transcript.' },
        { text: 'A very slow answer that streams for a long time, word by word, until someone stops it.', chunkSize: 4, delayMs: 200 },
      ],
    });
    terminal = new TmuxSession(ktRun(project()), envFor(server), { width: 100, height: 30 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('hello', true);
    await terminal.waitFor(/First answer, kept in the transcript\.[\s\S]*· ready/);

    for (const width of [80, 70, 110]) {
      terminal.resize(width, 30);
      await terminal.waitFor((screen) => boxAt(width).test(screen) && /· ready/.test(screen));
      const history = everything(terminal);
      expectOneCleanBox(history, width);
      expect(count(history, 'First answer, kept in the transcript.')).toBe(1);
      expect(count(history, '› hello')).toBe(1);
    }

    terminal.type('go slowly', true);
    await terminal.waitFor(/A very slow/);
    terminal.resize(80, 30);
    const mid = await terminal.waitFor((screen) => boxAt(80).test(screen) && /A very slow/.test(screen));
    expect(mid).toMatch(/answering|waiting for the model/);
    expectOneCleanBox(everything(terminal), 80);
    terminal.keys('Escape');
    await terminal.waitFor(/Interrupted\.[\s\S]*· ready/);
    const after = everything(terminal);
    expectOneCleanBox(after, 80);
    expect(count(after, 'First answer, kept in the transcript.')).toBe(1);
  });

  it('Ctrl+L clears the screen and draws the prompt box and footer at once, even with nothing printed yet', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'An answer above.' }) });
    terminal = new TmuxSession(ktRun(project()), envFor(server), { width: 90, height: 24 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('draft');
    terminal.keys('C-l');
    // The box is the first thing on the cleared screen, with the draft in it and the footer under it.
    await terminal.waitFor((screen) => /^╭─+╮\n│ › draft +│\n╰─+╯\n ↑ 0 ↓ 0 .*· ready/.test(screen));

    terminal.keys('C-u');
    terminal.type('ask', true);
    await terminal.waitFor(/An answer above\.[\s\S]*· ready/);
    terminal.keys('C-l');
    const cleared = await terminal.waitFor((screen) => /^╭─+╮/.test(screen) && /· ready/.test(screen));
    expect(cleared).not.toMatch(/An answer above\./);
  });

  it('/clear empties screen and scrollback, says so, and the model starts from a fresh conversation', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'Walnut noted.' }, { text: 'I know no word.' }] });
    terminal = new TmuxSession(ktRun(project()), envFor(server), { width: 100, height: 30 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('remember the word walnut', true);
    await terminal.waitFor(/Walnut noted\.[\s\S]*· ready/);
    terminal.type('/clear', true);
    await terminal.waitFor(/Cleared\. A fresh conversation starts here; the session log keeps the earlier turns\./);
    const history = everything(terminal);
    expect(history).not.toMatch(/walnut|Walnut/);
    expectOneCleanBox(history, 100);

    terminal.type('what word?', true);
    await terminal.waitFor(/I know no word\./);
    const sent = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>).map((m) => m.role + ':' + m.content);
    expect(sent.slice(1)).toEqual(['user:what word?']);
  });

  it('a finished command keeps the last 5 lines of its output in the transcript', async () => {
    server = await startFakeOpenAI({
      script: [{ toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: 'for i in 1 2 3 4 5 6 7; do echo out-$i; done; echo FAIL-marker' } }] }, { text: 'Ran it.' }],
    });
    terminal = new TmuxSession(ktRun(project(), '--approval-mode yolo'), envFor(server), { width: 100, height: 30 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('run the tests', true);
    const done = await terminal.waitFor(/Ran it\.[\s\S]*· ready/);
    expect(done).toMatch(/✓ bash for i in .*\n\s+… 3 earlier lines \(Ctrl\+O shows all\)\n\s+out-4\n\s+out-5\n\s+out-6\n\s+out-7\n\s+FAIL-marker\n/);
    expect(done).not.toMatch(/out-3/);
  });
});
