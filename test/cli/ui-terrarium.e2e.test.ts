/**
 * A two-creature terrarium in the cli app (tmux plays the person): the
 * roster shows both, `@worker message` reaches the worker while the root
 * keeps the focus, `@worker` alone shows the worker's transcript, Ctrl+D
 * leaves with exit 0.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { ktBin } from './helpers.js';
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
});
