/**
 * `/resume <name>` inside the running app (tmux plays the user): a session
 * another process holds, or one that does not exist, gets a note and the
 * current creature goes on; a free one replaces it — the screen is cleared,
 * the chosen session's turns are repainted, the next prompt reaches the model
 * with that conversation, and the session left behind keeps its turn.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionReader } from '../../source/engine/session/reader.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { kt, ktBin } from './helpers.js';
import { envFor, tempProject, tmuxLifecycle } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

const userTexts = (path: string) => {
  using reader = new SessionReader(path);
  return reader.turns().map((turn) => turn.userText);
};

describe('/resume inside the app', () => {
  it('switches to another session: busy and unknown ones leave this one be; a free one is repainted and goes on', async () => {
    let n = 0;
    server = await startFakeOpenAI({ responder: () => ({ text: `Reply number ${++n}.` }) });
    const env = envFor(server);
    const dir = tempProject('kt-ui-switch-');
    const sessions = join(env.KT_CONFIG_DIR!, 'sessions');
    // Session A: one turn, then kt left.
    const first = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'remember the word walnut'], { env, cwd: dir });
    expect(first.code).toBe(0);
    const [fileA] = readdirSync(sessions);
    const pathA = join(sessions, fileA!);
    const nameA = fileA!.replace('.kohakutr', '');

    // Session B, in the app.
    terminal = new TmuxSession(`sh -c 'cd ${dir} && ${process.execPath} ${ktBin} run @kt-biome/creatures/general --llm openai/m; echo "KT_EXITED=$?"'`, env, { width: 120, height: 40 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('a question for B', true);
    await terminal.waitFor(/Reply number 2\.[\s\S]*· ready/);
    const fileB = readdirSync(sessions).find((f) => f !== fileA && f.endsWith('.kohakutr'))!;

    terminal.type('/resume no-such-session', true);
    await terminal.waitFor(/No session named no-such-session; \/sessions lists them\./);
    // A live process other than this kt holds A: as if another kt were writing it.
    writeFileSync(`${pathA}.lock`, JSON.stringify({ pid: process.ppid, hostname: hostname(), since: Date.now(), token: 'other' }));
    terminal.type(`/resume ${nameA}`, true);
    await terminal.waitFor(new RegExp(`Cannot resume ${nameA}: .*in use by process ${process.ppid}[\\s\\S]*This session goes on\\.`));
    rmSync(`${pathA}.lock`);

    terminal.type(`/resume ${nameA}`, true);
    const switched = await terminal.waitFor(new RegExp(`Resumed ${nameA}\\.[\\s\\S]*› remember the word walnut[\\s\\S]*Reply number 1\\.[\\s\\S]*Resumed: 1 earlier turn above\\.[\\s\\S]*openai/m · ready`));
    // The screen was cleared: B's turn is no longer on it.
    expect(switched).not.toMatch(/a question for B|Reply number 2\./);

    terminal.type('what word?', true);
    await terminal.waitFor(/Reply number 3\.[\s\S]*· ready/);
    const history = (server.requests[2]!.body!.messages as Array<{ role: string; content: string }>).slice(1).map((m) => m.content);
    expect(history).toEqual(['remember the word walnut', 'Reply number 1.', 'what word?']);
    terminal.keys('C-d');
    const left = await terminal.waitFor(/KT_EXITED=\d+/);
    expect(left).toMatch(/KT_EXITED=0/);
    // The hint names the session the app ended in.
    expect(left).toContain(`kt resume ${nameA}`);

    expect(userTexts(pathA)).toEqual(['remember the word walnut', 'what word?']);
    expect(userTexts(join(sessions, fileB))).toEqual(['a question for B']);
  });
});
