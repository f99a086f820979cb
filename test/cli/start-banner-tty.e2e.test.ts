/**
 * `kt` with no arguments at a terminal: the app opens on the default creature
 * (or the default_creature setting) with a one-line start banner naming the
 * creature, model, folder, approval mode and session, shown once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
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

describe('kt with no arguments', () => {
  it('opens the app on the default creature with a dim start banner, once', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'Hello from swe.' }] });
    const dir = mkdtempSync(join(tmpdir(), 'kt-banner-'));
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color', CI: 'true' });
    // No --llm on the command line: the default model comes from the config, as for a user.
    writeFileSync(join(env.KT_CONFIG_DIR!, 'llm_profiles.yaml'), 'default_model: openai/m\n');
    terminal = new TmuxSession(`sh -c 'cd ${dir} && ${process.execPath} ${ktBin} --approval-mode auto-edit; echo "KT_EXITED=$?"'`, env, { width: 120, height: 30 });
    const screen = await terminal.waitFor(/swe · openai\/m · \S+ · approvals: auto-edit · session swe_\S+/);
    const banner = screen.split('\n').find((line) => line.includes('approvals: auto-edit'))!;
    expect(banner).toContain(dir.split('/').pop()!);
    // With colour on, it is grey (dim); CI=true here turns colour off, so colour is not checked.

    terminal.type('hi', true);
    const answered = await terminal.waitFor(/Hello from swe\./);
    expect(answered.match(/approvals: auto-edit/g)).toHaveLength(1);
    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
    expect(server.requests[0]!.body!.model).toBe('m');
  });
});
