/**
 * `ask_user` on a real terminal (tmux plays the user). In the plain REPL (--mode plain) the
 * question appears with numbered choices and the typed answer (a number picks
 * a choice) goes back to the model; a line typed while a turn runs is queued
 * and runs after it. With `-p` at a terminal the question is asked on stderr.
 */
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tmuxLifecycle } from './tmux-lifecycle.js';
import { GATE_TIMEOUT_MS } from '../helpers/until.js';
import { baseEnv, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

type Message = { role: string; content: string };
const lastMessage = (i: number) => (server!.requests[i]!.body!.messages as Message[]).at(-1)!;

describe('ask_user on a terminal', () => {
  it('asks in the REPL, takes a numbered choice, and queues a line typed mid-turn', async () => {
    // The third answer is held until the test has typed (and kt has queued) the next line: that line
    // surely arrives mid-turn, however slow the machine.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    server = await startFakeOpenAI({
      script: [
        { toolCalls: [{ id: 'q1', name: 'ask_user', arguments: { question: 'Which colour?', choices: ['red', 'blue'] } }] },
        { text: 'Blue it is.' },
      ],
      responder: async (_request, index) => (index === 2 ? (await held, { text: 'A slow answer that takes a while to stream out.' }) : { text: 'Queued prompt answered.' }),
    });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color' });
    terminal = new TmuxSession(`${process.execPath} ${ktBin} run @kt-biome/creatures/general --llm openai/m --no-session --mode plain`, env);
    await terminal.waitFor(/^>/m);
    terminal.type('paint the shed', true);
    await terminal.waitFor(/\? Which colour\?\n {2}1\. red\n {2}2\. blue/);
    terminal.type('2', true);
    await terminal.waitFor(/Blue it is\./);
    expect(lastMessage(1)).toMatchObject({ role: 'tool', content: 'The user answered:\nblue' });

    terminal.type('tell me slowly', true);
    await server.waitForRequests(3, GATE_TIMEOUT_MS); // the turn is waiting on the held answer
    terminal.type('and this after', true);
    await terminal.waitFor(/queued: runs after the current turn/);
    release();
    await terminal.waitFor(/A slow answer that takes a while to stream out\.[\s\S]*Queued prompt answered\./);
    expect(lastMessage(3)).toMatchObject({ role: 'user', content: 'and this after' });
    terminal.type('/exit', true);
  });

  it('asks on stderr for a -p run at a terminal', async () => {
    server = await startFakeOpenAI({
      script: [{ toolCalls: [{ id: 'q1', name: 'ask_user', arguments: { question: 'Your name?' } }] }, { text: 'Hello there.' }],
    });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color' });
    terminal = new TmuxSession(`${process.execPath} ${ktBin} run @kt-biome/creatures/general --llm openai/m --no-session -p greet`, env);
    await terminal.waitFor(/\? Your name\?\nanswer>/);
    terminal.type('Ada', true);
    await terminal.waitFor(/Hello there\./);
    expect(lastMessage(1)).toMatchObject({ role: 'tool', content: 'The user answered:\nAda' });
  });
});
