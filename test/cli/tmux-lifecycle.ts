/**
 * What every tmux e2e file of the terminal app needs: the built kt and tmux
 * checked once, a spare tmux session kept open for the file's run (closing
 * the last session stops the tmux server, racing the next test's start), and
 * each test's terminal and fake model server closed after it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { FakeOpenAIServer } from '../fakes/openai-server.js';
import { requireTmux, TmuxSession } from '../helpers/tmux.js';
import { assertBuilt, baseEnv, ktBin } from './helpers.js';

export function tmuxLifecycle(current: () => { terminal: TmuxSession | undefined; server: FakeOpenAIServer | undefined }): void {
  let keeper: TmuxSession | undefined;
  beforeAll(() => {
    assertBuilt();
    requireTmux();
    keeper = new TmuxSession('true', {});
  });
  afterAll(() => keeper?.close());
  afterEach(async () => {
    const { terminal, server } = current();
    terminal?.close();
    await server?.close();
  });
}

/** kt's environment for a run against the fake server, colourless like CI. */
export const envFor = (server: FakeOpenAIServer) => baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color', CI: 'true' });

/** `kt run` of the general creature in `dir`, printing its exit code when it leaves. */
export const ktRun = (dir: string, extra = '') =>
  `sh -c 'cd ${dir} && ${process.execPath} ${ktBin} run @kt-biome/creatures/general --llm openai/m --no-session ${extra}; echo "KT_EXITED=$?"'`;

export const tempProject = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
