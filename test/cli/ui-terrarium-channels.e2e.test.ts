/**
 * Channel tabs in the real tui app (tmux plays the person): a terrarium
 * whose worker listens on #chat shows a #chat tab after the creatures;
 * `@#chat` focuses it, a line typed there is posted as `you` and reaches the
 * worker's model as a channel turn, the tab's log shows the post, and
 * Ctrl+D leaves with exit 0.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { until } from '../helpers/until.js';
import { ktBin } from './helpers.js';
import { envFor, tempProject, tmuxLifecycle } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

const lastUserText = (body: unknown): string => {
  const messages = ((body as { messages?: Array<{ role: string; content: unknown }> })?.messages ?? []).filter((m) => m.role === 'user');
  const last = messages.at(-1)?.content;
  return typeof last === 'string' ? last : JSON.stringify(last);
};

describe('kt terrarium run --mode tui: channel tabs', () => {
  it('@#chat focuses the channel tab; a line typed there reaches the listening worker as a channel turn', async () => {
    server = await startFakeOpenAI({ responder: (request) => ({ text: `Noted: ${lastUserText(request.body)}` }) });
    const env = envFor(server);
    const dir = tempProject('kt-ui-team-chan-');
    mkdirSync(join(dir, 'team'));
    writeFileSync(
      join(dir, 'team', 'terrarium.yaml'),
      [
        'name: pair',
        'root:',
        '  base_config: "@kt-biome/creatures/general"',
        'creatures:',
        '  - name: worker',
        '    base_config: "@kt-biome/creatures/general"',
        '    channels: { listen: [chat] }',
        'channels:',
        '  chat: talk with the worker',
        '',
      ].join('\n'),
    );
    terminal = new TmuxSession(`sh -c 'cd ${dir} && ${process.execPath} ${ktBin} terrarium run team --llm openai/m --mode tui --no-session; echo "KT_EXITED=$?"'`, env, { width: 140, height: 40 });
    const first = await terminal.waitFor(/\[root\][^\n]*worker[^\n]*#chat/);
    expect(first.split('\n').find((line) => line.includes('[root]'))).not.toMatch(/#root|#worker/);

    terminal.type('@#chat', true);
    await terminal.waitFor(/\[#chat\][\s\S]*#chat channel/);
    terminal.type('hello team', true);
    // The post is in the tab's log (the root hears every channel too); the worker's model got it as a channel turn.
    await terminal.waitFor(/you → [^\n]*worker[\s\S]*hello team/);
    const fake = server;
    await until(() => fake.requests.some((r) => lastUserText(r.body) === "[Channel 'chat' from you]: hello team"), 'the channel turn to reach the model');
    // It answered while the channel tab had the focus: news on its tab (the message heard, the turn ended).
    await terminal.waitFor(/worker \([2-9]\)/);

    terminal.keys('C-d');
    const left = await terminal.waitFor(/KT_EXITED=\d+/);
    expect(left).toMatch(/KT_EXITED=0/);
  });
});
