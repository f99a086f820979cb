/**
 * Sessions on a real terminal (tmux plays the user): `kt resume` with no
 * argument lists recent sessions and takes a number; the prompt that follows
 * continues the conversation, and /regen, /edit and /fork work on it. On
 * exit kt says how to resume.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SessionReader } from '../../source/engine/session/reader.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tmuxLifecycle } from './tmux-lifecycle.js';
import { baseEnv, kt, ktBin } from './helpers.js';
import { join } from 'node:path';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

describe('kt resume on a terminal', () => {
  it('picks a session from the list, continues it, regenerates, edits and forks', async () => {
    let reply = 0;
    // Each answer names itself, so the screen shows which request it came from.
    server = await startFakeOpenAI({ responder: () => ({ text: `Answer number ${++reply}.` }) });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color' });
    const sessions = join(env.KT_CONFIG_DIR!, 'sessions');
    await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'the older session'], { env });
    // No pause between the runs: names differ by their random suffix, and the list sorts by last-active milliseconds.
    await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'the newer session'], { env });

    terminal = new TmuxSession(`${process.execPath} ${ktBin} resume --mode plain`, env);
    const list = await terminal.waitFor(/Session \(number or name\):/);
    // The picker is a table: one column each, aligned under its header.
    expect(list).toMatch(/^ # {2}NAME +CREATURE {2}ACTIVE {4}TURNS {2}FIRST PROMPT$/m);
    expect(list).toMatch(/^ 1 {2}general_\S+ {2}general {3}just now {2}1 {6}the newer session$/m);
    expect(list).toMatch(/^ 2 {2}general_\S+ {2}general {3}just now {2}1 {6}the older session$/m);
    terminal.type('2', true);
    await terminal.waitFor(/kt: resumed general \(1 turns, openai\/m\); last prompt: the older session/);
    terminal.type('what did I ask?', true);
    await terminal.waitFor(/Answer number 3\./);
    terminal.type('/regen', true);
    await terminal.waitFor(/Answer number 4\./);
    terminal.type('/edit 2 ask it differently', true);
    await terminal.waitFor(/Answer number 5\./);
    terminal.type('/fork', true);
    await terminal.waitFor(/Forked \d+ events into \S+general-fork_\S+\.kohakutr/);
    terminal.type('/exit', true);
    const end = await terminal.waitFor(/kt: session saved; resume with: kt resume general_\S+/);

    // The model saw the older session's history, and the regenerated turn was sent again from the same point.
    const history = (i: number) => (server!.requests[i]!.body!.messages as Array<{ role: string; content: string }>).slice(1).map((m) => m.content);
    expect(history(2)).toEqual(['the older session', 'Answer number 1.', 'what did I ask?']);
    expect(history(3)).toEqual(history(2));
    expect(history(4)).toEqual(['the older session', 'Answer number 1.', 'ask it differently']);

    const resumedName = /resume with: kt resume (\S+)/.exec(end)![1]!;
    using reader = new SessionReader(join(sessions, `${resumedName}.kohakutr`));
    expect(reader.turns().map((t) => [t.userText, t.assistantText, t.branch])).toEqual([
      ['the older session', 'Answer number 1.', 1],
      ['ask it differently', 'Answer number 5.', 3],
    ]);
    // Every branch stays in the log.
    expect([...reader.events({ types: ['turn.start'] })]).toHaveLength(4);
    expect(readdirSync(sessions).filter((f) => f.includes('-fork_'))).toHaveLength(1);
  });
});
