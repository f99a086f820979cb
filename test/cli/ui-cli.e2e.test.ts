/**
 * The interactive cli mode on a real terminal (tmux plays the user) against
 * the fake model: streamed answers, tool blocks, Esc to interrupt, ask_user
 * as a dialog, a resize, Ctrl+D back to a clean shell, and `kt resume`
 * repainting the conversation. CI=true is set, as on CI: the UI must still
 * come up because it was chosen for a terminal.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tmuxLifecycle } from './tmux-lifecycle.js';
import { baseEnv, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-ui-'));
  writeFileSync(join(dir, 'notes.txt'), 'hello world\n');
  return dir;
}

const envFor = (s: FakeOpenAIServer) => baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: s.baseURL, TERM: 'xterm-256color', CI: 'true' });
/** A shell line for tmux: run kt in `dir`, then say how it exited (the shell prompt coming back). */
const inDir = (dir: string, args: string) => `sh -c 'cd ${dir} && ${process.execPath} ${ktBin} ${args}; echo "KT_EXITED=$?"'`;
const ktRun = (dir: string, extra = '') => inDir(dir, `run @kt-biome/creatures/general --llm openai/m ${extra}`);
/**
 * Like inDir, with a marker line before kt and, after it, whether the terminal was left in cooked
 * mode: what the screen shows once kt is gone tells whether the terminal was given back.
 */
const framed = (dir: string, args: string) => `sh -c 'echo BEFORE-KT; cd ${dir} && ${process.execPath} ${ktBin} ${args}; echo "KT_EXITED=$?"; stty -a | grep -o -- -icanon || echo cooked'`;
/**
 * The last lines `framed` prints, complete: the exit line and the terminal-mode line come from two
 * commands, and a screen caught between them would miss the second.
 */
const framedEnd = /KT_EXITED=\d+\n(?:cooked|-icanon)\n/;
const tuiRun = (dir: string) => framed(dir, 'run @kt-biome/creatures/general --llm openai/m --no-session --mode tui');

/** A command that runs until the test creates `release` in its folder, then prints `late-result`. */
const holdUntilReleased = `${process.execPath} -e "const t = setInterval(() => { if (require('fs').existsSync('release')) { clearInterval(t); console.log('late-result'); } }, 20)"`;

describe('kt run --mode cli (interactive)', () => {
  it('streams an answer, shows tool blocks, interrupts with Esc, survives a resize and exits cleanly with Ctrl+D', async () => {
    server = await startFakeOpenAI({
      script: [
        { text: 'Let me read it.', toolCalls: [{ id: 'r1', name: 'read', arguments: { path: 'notes.txt' } }] },
        { text: 'The file says **hello world**.' },
        { text: 'A very slow answer that streams for a long time, word by word, until someone stops it.', chunkSize: 4, delayMs: 200 },
        { text: 'Still here after the resize.' },
      ],
    });
    terminal = new TmuxSession(ktRun(project(), '--no-session'), envFor(server), { width: 100, height: 30 });
    await terminal.waitFor(/Ask anything/);
    await terminal.waitFor(/openai\/m · ready/);

    terminal.type('what is in notes.txt?', true);
    const answered = await terminal.waitFor(/The file says hello world\./);
    expect(answered).toMatch(/› what is in notes\.txt\?/);
    expect(answered).toMatch(/✓ read notes\.txt \(\d+ms\)/);
    expect(answered).toMatch(/Let me read it\./);

    terminal.type('go slowly', true);
    await terminal.waitFor(/A very slow/);
    terminal.keys('Escape');
    await terminal.waitFor(/Interrupted\./);
    await terminal.waitFor(/· ready/);
    await server.waitForAbort(5000);

    terminal.resize(70, 24);
    terminal.type('and now?', true);
    await terminal.waitFor(/Still here after the resize\./);

    terminal.keys('C-d');
    const end = await terminal.waitFor(/KT_EXITED=0/);
    // The prompt box is gone from the last frame's place and the shell line is clean (no stray escape text).
    expect(end).not.toMatch(/\[\?2004|\u001b/);
  });

  it('shows ask_user as a dialog; a number picks a choice; Ctrl+C on an empty prompt asks for a second press', async () => {
    server = await startFakeOpenAI({
      script: [{ toolCalls: [{ id: 'q1', name: 'ask_user', arguments: { question: 'Which colour?', choices: ['red', 'blue'] } }] }, { text: 'Blue it is.' }],
    });
    terminal = new TmuxSession(ktRun(project(), '--no-session'), envFor(server));
    await terminal.waitFor(/Ask anything/);
    terminal.type('paint the shed', true);
    await terminal.waitFor(/\? Which colour\?\s+1\. red\s+2\. blue/);
    terminal.type('2', true);
    await terminal.waitFor(/Blue it is\./);
    const toolMessage = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!;
    expect(toolMessage).toMatchObject({ role: 'tool', content: 'The user answered:\nblue' });

    terminal.type('draft I will not send');
    terminal.keys('C-c');
    await terminal.waitFor(/Ask anything/); // the draft is cleared
    terminal.keys('C-c');
    await terminal.waitFor(/Press Ctrl\+C again to exit/);
    terminal.keys('C-c');
    await terminal.waitFor(/KT_EXITED=0/);
  });

  it('asks before commands: n refuses with what to do instead, a saves a project rule; --approval-mode yolo never asks', async () => {
    const bash = (id: string, command: string) => ({ toolCalls: [{ id, name: 'bash', arguments: { command } }] });
    server = await startFakeOpenAI({
      script: [bash('b1', 'echo denied-run'), { text: 'Understood.' }, bash('b2', 'echo first-ok'), bash('b3', 'echo first-ok twice'), { text: 'Both ran.' }],
    });
    const dir = project();
    terminal = new TmuxSession(ktRun(dir, '--no-session'), envFor(server));
    await terminal.waitFor(/Ask anything/);
    terminal.type('try it', true);
    await terminal.waitFor(/Run this command\?[\s\S]*\$ echo denied-run[\s\S]*1\. Yes \(y\)[\s\S]*don’t ask again for bash\(echo[^)]*\) in this project \(a\)[\s\S]*No, and tell the creature what to do instead \(n\)/);
    terminal.type('n');
    await terminal.waitFor(/what should it do\?/);
    terminal.type('use printf instead', true);
    await terminal.waitFor(/Understood\./);
    const denied = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!;
    expect(denied.content).toMatch(/the user did not allow this bash call and said what to do instead: use printf instead/);
    expect(terminal.screen()).toMatch(/✗ bash echo denied-run/);

    terminal.type('again', true);
    await terminal.waitFor(/\$ echo first-ok/);
    terminal.type('a');
    const done = await terminal.waitFor(/Both ran\./);
    expect(done).toMatch(/✓ bash echo first-ok twice/);
    expect(done).not.toMatch(/\$ echo first-ok twice/); // the saved rule covers it: never asked
    expect(readFileSync(join(dir, '.kt', 'settings.json'), 'utf8')).toMatch(/"allow": \[\s*"bash\(echo/);
    terminal.close();

    server.requests.length = 0;
    await server.close();
    server = await startFakeOpenAI({ script: [bash('b4', 'echo unasked'), { text: 'Ran unasked.' }] });
    terminal = new TmuxSession(ktRun(project(), '--no-session --approval-mode yolo'), envFor(server));
    await terminal.waitFor(/Ask anything/);
    terminal.type('go', true);
    await terminal.waitFor(/Ran unasked\./);
    expect(terminal.screen()).toMatch(/✓ bash echo unasked/);
  });

  it('a big paste collapses to a placeholder and is sent whole; @file attaches the file; !cmd runs a command', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'Got it.' }) });
    terminal = new TmuxSession(ktRun(project(), '--no-session'), envFor(server));
    await terminal.waitFor(/Ask anything/);
    const pasted = Array.from({ length: 12 }, (_, i) => `pasted line ${i}`).join('\n');
    terminal.paste(pasted);
    await terminal.waitFor(/│ › \[Pasted text #1 \+12 lines\]/);
    terminal.type(' please', true);
    await terminal.waitFor(/Got it\./);
    const sent = (i: number) => (server!.requests[i]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!.content;
    expect(sent(0)).toBe(`${pasted} please`);

    terminal.type('what does @notes.txt say?', true);
    await terminal.waitFor(/› what does @notes\.txt say\?\s+@notes\.txt \(1 line\)/);
    await terminal.waitFor((screen) => (screen.match(/Got it\./g) ?? []).length === 2);
    expect(sent(1)).toBe('what does @notes.txt say?\n\n<file path="notes.txt">\nhello world\n</file>');

    terminal.type('!echo from-the-shell && exit 3', true);
    await terminal.waitFor(/\$ echo from-the-shell && exit 3\s+from-the-shell\s+\(exit 3\)/);
    expect(server.requests).toHaveLength(2); // no model round for a shell command
  });

  it('Ctrl+B sends the running command to the background; its result arrives as a later turn', async () => {
    server = await startFakeOpenAI({
      script: [{ toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: holdUntilReleased } }] }, { text: 'Moved on.' }, { text: 'The job finished.' }],
    });
    const dir = project();
    terminal = new TmuxSession(ktRun(dir, '--no-session --approval-mode yolo'), envFor(server));
    await terminal.waitFor(/Ask anything/);
    terminal.type('run the slow thing', true);
    await terminal.waitFor(/bash .*node -e .* \d+(?:ms|\.\ds|s)$/m); // running, with its elapsed time
    terminal.keys('C-b');
    await terminal.waitFor(/Moved on\./);
    writeFileSync(join(dir, 'release'), ''); // only now may the command finish: it was surely still running at Ctrl+B
    await terminal.waitFor(/Background bash done/);
    await terminal.waitFor(/The job finished\./);
    const jobMessage = (server.requests[2]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!;
    expect(jobMessage.content).toMatch(/late-result/);
  });

  it('a creature that fails to build: the app drawn meanwhile is erased and the error stands alone', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'never' }) });
    const dir = project();
    writeFileSync(join(dir, 'config.yaml'), 'name: broken\ntools: [bsh]\n');
    terminal = new TmuxSession(framed(dir, 'run . --llm openai/m'), envFor(server));
    const screen = await terminal.waitFor(framedEnd);
    expect(screen).toMatch(/KT_EXITED=2\ncooked/);
    expect(screen).toMatch(/^BEFORE-KT\nkt: .*config\.yaml:2 key 'tools\[0\]': unknown tool 'bsh'/);
    expect(screen).not.toMatch(/Ask anything/);
  });

  it('slash commands and history: /help lists commands, Up recalls the last prompt', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'ok.' }) });
    terminal = new TmuxSession(ktRun(project(), '--no-session'), envFor(server));
    await terminal.waitFor(/Ask anything/);
    terminal.type('/he');
    await terminal.waitFor(/\/help {2}List commands and keys/);
    terminal.keys('Tab');
    terminal.keys('Enter');
    await terminal.waitFor(/\/regen\s+Run the last turn again/);
    terminal.type('first prompt', true);
    await terminal.waitFor(/ok\./);
    terminal.keys('Up');
    await terminal.waitFor(/│ › first prompt/);
  });

  it('kt resume --last repaints the earlier conversation before the prompt', async () => {
    let n = 0;
    server = await startFakeOpenAI({ responder: () => ({ text: `Reply number ${++n}.` }) });
    const env = envFor(server);
    const dir = project();
    terminal = new TmuxSession(ktRun(dir), env);
    await terminal.waitFor(/Ask anything/);
    terminal.type('remember the word walnut', true);
    // The answer on screen and the turn over (footer back to ready): Ctrl+D mid-turn would cut it short.
    await terminal.waitFor(/Reply number 1\.[\s\S]*· ready/);
    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
    terminal.close();

    terminal = new TmuxSession(inDir(dir, 'resume --last'), env);
    const screen = await terminal.waitFor(/Resumed: 1 earlier turn above\./);
    expect(screen).toMatch(/› remember the word walnut[\s\S]*Reply number 1\./);
    terminal.type('what word?', true);
    await terminal.waitFor(/Reply number 2\./);
    const history = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>).slice(1).map((m) => m.content);
    expect(history).toEqual(['remember the word walnut', 'Reply number 1.', 'what word?']);
  });

  it('draws colour on a colour terminal and none with NO_COLOR', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'A **bold** claim.' }) });
    const plain = new TmuxSession(ktRun(project(), '--no-session'), { ...envFor(server), NO_COLOR: '1' });
    terminal = new TmuxSession(ktRun(project(), '--no-session'), envFor(server));
    try {
      for (const screen of [terminal, plain]) {
        await screen.waitFor(/Ask anything/);
        screen.type('hi', true);
        await screen.waitFor(/A bold claim\./);
      }
      expect(terminal.screen({ escapes: true })).toMatch(/\u001b\[[0-9;]*m/);
      expect(plain.screen({ escapes: true })).not.toMatch(/\u001b\[[0-9;]*m/);
    } finally {
      plain.close();
    }
  });

  it('--mode tui: full screen panes, scrolling, F2, and the terminal given back on Ctrl+D and on SIGTERM', async () => {
    server = await startFakeOpenAI({
      script: [
        { text: 'Reading.', toolCalls: [{ id: 'r1', name: 'read', arguments: { path: 'notes.txt' } }] },
        { text: Array.from({ length: 60 }, (_, i) => `Paragraph line ${i}.`).join('\n\n') },
      ],
    });
    const dir = project();
    terminal = new TmuxSession(tuiRun(dir), envFor(server), { width: 130, height: 32 });
    const first = await terminal.waitFor(/◉ general idle/); // drawn first, then the creature's name once built
    expect(first).not.toMatch(/BEFORE-KT/); // the alternate screen
    expect(first).toMatch(/Creatures[\s\S]*◉ general idle[\s\S]*Tools[\s\S]*none yet[\s\S]*Sub-agents/);
    terminal.type('read the notes', true);
    const done = await terminal.waitFor(/Paragraph line 59\./);
    expect(done).toMatch(/│ ✓ read notes\.txt/); // the tools pane
    expect(done).not.toMatch(/Paragraph line 0\./); // scrolled to the newest lines
    terminal.keys('PPage');
    await terminal.waitFor(/lines up · PageDown to return/);
    terminal.keys('NPage', 'NPage', 'NPage');
    await terminal.waitFor(/PageUp\/PageDown or wheel to scroll/);
    terminal.keys('F2');
    await terminal.waitFor((screen) => !/Sub-agents/.test(screen));
    terminal.keys('C-d');
    const after = await terminal.waitFor(framedEnd);
    expect(after).toMatch(/BEFORE-KT\nKT_EXITED=0\ncooked/); // back on the normal screen, in cooked mode
    terminal.close();

    // A session used full screen resumes full screen.
    const shared = envFor(server);
    terminal = new TmuxSession(inDir(dir, 'run @kt-biome/creatures/general --llm openai/m --mode tui'), shared, { width: 130, height: 32 });
    await terminal.waitFor(/Transcript/);
    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
    terminal.close();
    terminal = new TmuxSession(inDir(dir, 'resume --last'), shared, { width: 130, height: 32 });
    await terminal.waitFor(/Transcript[\s\S]*Creatures/);
    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
    terminal.close();

    terminal = new TmuxSession(tuiRun(dir), envFor(server), { width: 130, height: 32 });
    // Right after the first frame: the creature may still be building (then the app itself exits).
    await terminal.waitFor(/Transcript/);
    terminal.signal(['kt', 'node', 'MainThread'], 'SIGTERM');
    const killed = await terminal.waitFor(framedEnd);
    expect(killed).toMatch(/BEFORE-KT\nKT_EXITED=143\ncooked/);
    expect(killed).not.toMatch(/Transcript/);
    terminal.close();

    // And once the creature is attached (the run's own handler stops it).
    terminal = new TmuxSession(tuiRun(dir), envFor(server), { width: 130, height: 32 });
    await terminal.waitFor(/◉ general idle/);
    terminal.signal(['kt', 'node', 'MainThread'], 'SIGTERM');
    expect(await terminal.waitFor(framedEnd)).toMatch(/BEFORE-KT\nKT_EXITED=143\ncooked/);
  });
});
