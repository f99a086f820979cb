/**
 * `kt resume` on a real terminal (tmux plays the user) draws its frame as
 * early as `kt run`: before the engine has loaded and the creature is
 * built. A prompt typed meanwhile is sent once the creature is attached,
 * after the earlier conversation is repainted (the same for `kt run -c` and
 * `kt run -r <session>`); a long session's repaint
 * puts its last turn on screen and leaves the scrollback in order.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../source/engine/creature/agent.js';
import { ScriptedLLM } from '../../source/testing/scripted-llm.js';
import { REPAINT_TURNS } from '../../source/ui/state/history-items.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tmuxLifecycle } from './tmux-lifecycle.js';
import { baseEnv, kt, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

/** A shell line for tmux: run kt in `dir`, then say how it exited. */
const inDir = (dir: string, args: string) => `sh -c 'cd ${dir} && ${process.execPath} ${ktBin} ${args}; echo "KT_EXITED=$?"'`;

/**
 * A creature whose build waits for a file named `release` in its folder: a plugin's setup holds it,
 * so the test decides when the creature is ready.
 */
function gatedCreature(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-resume-early-'));
  writeFileSync(join(dir, 'config.yaml'), 'name: keeper\nsystem_prompt: You keep things.\nplugins:\n  - name: gate\n    module: ./gate.mjs\n');
  writeFileSync(
    join(dir, 'gate.mjs'),
    [
      "import { existsSync } from 'node:fs';",
      "const release = new URL('./release', import.meta.url);",
      'export default {',
      "  name: 'gate',",
      '  setup: async () => {',
      '    while (!existsSync(release)) await new Promise((r) => setTimeout(r, 20));',
      '    return {};',
      '  },',
      '};',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('kt resume draws before the creature is built', () => {
  // `kt resume --last`, `kt run -c` and `kt run -r <name>` all draw before the creature is built.
  it.each([
    ['resume --last', () => 'resume --last'],
    ['run -c', () => 'run -c'],
    ['run -r', (file: string) => `run -r ${file.replace('.kohakutr', '')}`],
  ])('kt %s shows the frame at once; a prompt typed meanwhile is sent after the repaint, once the creature is attached', async (_name, command) => {
    let n = 0;
    server = await startFakeOpenAI({ responder: () => ({ text: `Reply number ${++n}.` }) });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color', CI: 'true' });
    const dir = gatedCreature();
    writeFileSync(join(dir, 'release'), '');
    const first = await kt(['run', dir, '--llm', 'openai/m', '-p', 'remember the word walnut'], { env, cwd: dir });
    expect(first.code).toBe(0);
    rmSync(join(dir, 'release'));
    const [file] = readdirSync(join(env.KT_CONFIG_DIR!, 'sessions'));

    terminal = new TmuxSession(inDir(dir, `${command(file!)} --llm openai/m`), env);
    // The prompt box and footer are up while the creature's build is held: no model yet.
    await terminal.waitFor(/Ask anything[\s\S]*starting…/);
    terminal.type('what word?');
    await terminal.waitFor(/│ › what word\?/);
    terminal.keys('Enter');
    // The app took the line (the box is empty again) while the creature is still being built.
    await terminal.waitFor((screen) => !/│ › what word\?/.test(screen) && /Ask anything[\s\S]*starting…/.test(screen));
    expect(server.requests).toHaveLength(1);

    writeFileSync(join(dir, 'release'), '');
    const screen = await terminal.waitFor(/Reply number 2\./);
    // The earlier turn was repainted first, then the new one followed it.
    expect(screen).toMatch(/› remember the word walnut[\s\S]*Reply number 1\.[\s\S]*Resumed: 1 earlier turn above\.[\s\S]*› what word\?[\s\S]*Reply number 2\./);
    const history = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>).slice(1).map((m) => m.content);
    expect(history).toEqual(['remember the word walnut', 'Reply number 1.', 'what word?']);
    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
  });

  it('a session that cannot be found: the early frame is erased and the error stands alone (exit 2)', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'never' }) });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color' });
    const dir = mkdtempSync(join(tmpdir(), 'kt-resume-early-'));
    terminal = new TmuxSession(`sh -c 'echo BEFORE-KT; cd ${dir} && ${process.execPath} ${ktBin} resume no-such-session; echo "KT_EXITED=$?"'`, env);
    const screen = await terminal.waitFor(/KT_EXITED=\d+/);
    expect(screen).toMatch(/KT_EXITED=2/);
    expect(screen).toMatch(/^BEFORE-KT\nkt: .*no-such-session/);
    expect(screen).not.toMatch(/Ask anything/);
  });

  it('a long session: the last turn is on screen, and the scrollback holds the repaint once, in order', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'unused' }) });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color', CI: 'true' });
    const dir = mkdtempSync(join(tmpdir(), 'kt-resume-long-'));
    const sessions = join(env.KT_CONFIG_DIR!, 'sessions');
    mkdirSync(sessions, { recursive: true });
    const path = join(sessions, 'long.kohakutr');
    const turns = REPAINT_TURNS + 10;
    const agent = await Agent.build(
      { name: 'keeper', system_prompt: 'You keep things.' },
      { llm: new ScriptedLLM(Array.from({ length: turns }, (_, i) => ({ text: `Answer ${i}: noted.\n\nA second paragraph for answer ${i}.` }))), session: path, pwd: dir },
    );
    for (let i = 0; i < turns; i++) await agent.run(`Question ${i}?`);
    await agent.stop();

    terminal = new TmuxSession(inDir(dir, `resume ${path} --llm openai/m`), env, { width: 100, height: 30 });
    const screen = await terminal.waitFor(/Answer 59: noted\.[\s\S]*Resumed: 60 earlier turns above\.[\s\S]*openai\/m · ready/);
    expect(screen).toMatch(/› Question 59\?/);
    // The whole repaint, in the terminal's scrollback: every shown turn once, oldest first.
    const all = execFileSync('tmux', ['capture-pane', '-p', '-S', '-', '-t', terminal.name], { encoding: 'utf8' });
    const shown = [...all.matchAll(/Answer (\d+): noted\./g)].map((m) => Number(m[1]));
    expect(shown).toEqual(Array.from({ length: REPAINT_TURNS }, (_, i) => i + turns - REPAINT_TURNS));
    expect(all).toMatch(/… 10 earlier turns are in the session, not shown/);
  });
});
