/**
 * A two-creature terrarium in the cli app (tmux plays the person): the
 * roster shows both, `@worker message` reaches the worker while the root
 * keeps the focus, `@worker` alone shows the worker's transcript, Ctrl+D
 * leaves with exit 0. A team session resumed at a terminal opens the same
 * app with the root's earlier turn repainted, and goes on from there.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { kt, ktBin } from './helpers.js';
import { envFor, tempProject, tmuxLifecycle } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

describe('kt terrarium run in the cli app', () => {
  it('shows the roster; @name talks to a member and switches the focus', async () => {
    server = await startFakeOpenAI({
      responder: (request) => {
        const messages = (request.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
        const last = [...messages].reverse().find((m) => m.role === 'user');
        return { text: `Answer to ${typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content)}.` };
      },
    });
    const env = envFor(server);
    const dir = tempProject('kt-ui-team-');
    mkdirSync(join(dir, 'team'));
    writeFileSync(
      join(dir, 'team', 'terrarium.yaml'),
      'name: pair\nroot:\n  base_config: "@kt-biome/creatures/general"\ncreatures:\n  - name: worker\n    base_config: "@kt-biome/creatures/general"\n',
    );
    terminal = new TmuxSession(`sh -c 'cd ${dir} && ${process.execPath} ${ktBin} terrarium run team --llm openai/m; echo "KT_EXITED=$?"'`, env, { width: 120, height: 40 });
    await terminal.waitFor(/\[root\][\s\S]*worker/);

    terminal.type('@worker count the apples', true);
    // The worker answered; the root keeps the focus and the worker shows one unread.
    const news = await terminal.waitFor(/\[root\]\s*○ worker \(1\)/);
    expect(news).not.toContain('Answer to count the apples');
    expect(server.requests).toHaveLength(1);

    terminal.type('@worker', true);
    const focused = await terminal.waitFor(/Answer to count the apples\.[\s\S]*○\[worker\]/);
    expect(focused).toContain('count the apples');

    terminal.keys('C-d');
    const left = await terminal.waitFor(/KT_EXITED=\d+/);
    expect(left).toMatch(/KT_EXITED=0/);
  });

  it('kt resume <team session> opens the team app with the root\'s turns so far; the root goes on from them', async () => {
    server = await startFakeOpenAI({
      responder: (request) => {
        const messages = (request.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
        const users = messages.filter((m) => m.role === 'user').length;
        const last = [...messages].reverse().find((m) => m.role === 'user');
        return { text: `Answer ${users} to ${typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content)}.` };
      },
    });
    const env = envFor(server);
    const dir = tempProject('kt-ui-team-resume-');
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'team', 'terrarium.yaml'), 'name: pair\nroot:\n  base_config: "@kt-biome/creatures/general"\ncreatures:\n  - name: worker\n    base_config: "@kt-biome/creatures/general"\n');
    const first = await kt(['terrarium', 'run', 'team', '--llm', 'openai/m', '-p', 'plant the tulips'], { cwd: dir, env });
    expect(first.code).toBe(0);
    const [file] = readdirSync(join(env.KT_CONFIG_DIR!, 'sessions'));
    const name = file!.replace('.kohakutr', '');

    terminal = new TmuxSession(`sh -c 'cd ${dir} && ${process.execPath} ${ktBin} resume ${name}; echo "KT_EXITED=$?"'`, env, { width: 120, height: 40 });
    // The earlier turn is repainted before the prompt.
    await terminal.waitFor(/plant the tulips[\s\S]*Answer 1 to plant the tulips\.[\s\S]*\[root\][\s\S]*worker/);
    terminal.type('water them', true);
    // The root's request held the first turn: this is its second user message.
    await terminal.waitFor(/Answer 2 to water them\./);
    terminal.keys('C-d');
    const left = await terminal.waitFor(/KT_EXITED=\d+/);
    expect(left).toMatch(/KT_EXITED=0/);
    expect(left).toContain(`kt: session saved; resume with: kt resume ${name}`);
  });
});
