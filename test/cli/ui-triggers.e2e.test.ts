/**
 * A trigger in the terminal app (tmux plays the user, the fake model
 * answers): a creature whose config has a custom trigger module shows it in
 * the footer; when the trigger fires (the test creates the file it waits
 * for) the transcript marks the turn with the trigger and shows the model's
 * answer; `/triggers` lists it with its fire count.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { ktBin } from './helpers.js';
import { envFor, tempProject, tmuxLifecycle } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

/** Fires once, when `go` appears in the working folder, then waits until the creature stops. */
const TICK = `import { existsSync } from 'node:fs';
import { join } from 'node:path';
export default {
  kind: 'tick',
  describe: () => 'once, when ./go appears',
  async *start(ctx) {
    while (!existsSync(join(ctx.cwd, 'go'))) if (!(await ctx.sleep(25))) return;
    yield { content: 'The tick says: check the build' };
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
  },
};
`;

function creature(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kt-trigger-creature-'));
  writeFileSync(join(folder, 'tick.mjs'), TICK);
  writeFileSync(join(folder, 'config.yaml'), 'name: ticker\ntools: [read]\ntriggers:\n  - type: custom\n    module: ./tick.mjs\n    name: nightly-check\n');
  return folder;
}

describe('kt run with a trigger', () => {
  it('marks the trigger turn, shows the answer, counts the trigger in the footer and lists it with /triggers', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'The build is green.' }] });
    const dir = tempProject('kt-ui-trig-');
    terminal = new TmuxSession(`sh -c 'cd ${dir} && ${process.execPath} ${ktBin} run ${creature()} --llm openai/m --no-session; echo "KT_EXITED=$?"'`, envFor(server), { width: 110, height: 30 });
    await terminal.waitFor(/Ask anything/);
    await terminal.waitFor(/ready · default mode · ⚡ 1 trigger/);

    writeFileSync(join(dir, 'go'), '');
    const answered = await terminal.waitFor(/The build is green\./);
    expect(answered).toMatch(/⚡ tick 'nightly-check'\n\s+The tick says: check the build/);
    expect(answered).not.toMatch(/› The tick says/);
    expect(server.requests.at(-1)?.body).toMatchObject({ messages: expect.arrayContaining([expect.objectContaining({ role: 'user', content: 'The tick says: check the build' })]) });

    terminal.type('/triggers', true);
    const listed = await terminal.waitFor(/fired 1 time · from config/);
    expect(listed).toMatch(/⚡ nightly-check {2}tick 'nightly-check'\n\s+once, when \.\/go appears\n\s+next: when its condition holds · fired 1 time · from config/);

    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
  });
});
