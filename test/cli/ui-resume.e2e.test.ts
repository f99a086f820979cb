/**
 * `kt resume` on a real terminal (tmux plays the user): the repainted
 * transcript shows each tool with the time it took when it ran, an
 * interrupted turn ends with `Interrupted.` as it did live, and the footer
 * goes on from the session's token totals and context fill instead of zero.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { baseEnv, ktBin } from './helpers.js';
import { tmuxLifecycle } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

const inDir = (dir: string, args: string) => `sh -c 'cd ${dir} && ${process.execPath} ${ktBin} ${args}; echo "KT_EXITED=$?"'`;

/** The footer: the screen's last non-empty line. */
const footer = (screen: string) => screen.trimEnd().split('\n').at(-1)!;

/** `1.6k` → 1600. */
const count = (shown: string) => Number(shown.replace(/k$/, '')) * (shown.endsWith('k') ? 1000 : 1);

/** The footer's figures: tokens in and out, and the context (`ctx 1.7k`, or a share of the window). */
function figures(line: string): { input: number; output: number; context: number } {
  const match = /↑ (\S+) ↓ (\S+) .*ctx (\S+?)%? /.exec(line);
  if (!match) throw new Error(`no figures in the footer: ${line}`);
  return { input: count(match[1]!), output: count(match[2]!), context: count(match[3]!) };
}

describe('kt resume on the terminal', () => {
  it('shows recorded tool times, Interrupted. where a turn was cut off, and the footer as the session left it', async () => {
    server = await startFakeOpenAI({
      script: [
        { toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: 'seq 1 200000 | wc -l' } }] },
        { text: 'Ran the command.' },
        { text: 'A slow answer that streams word by word until someone stops it.', chunkSize: 4, delayMs: 200 },
      ],
    });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color', CI: 'true' });
    const dir = mkdtempSync(join(tmpdir(), 'kt-ui-resume-'));
    terminal = new TmuxSession(inDir(dir, 'run @kt-biome/creatures/general --llm openai/m --approval-mode yolo'), env, { width: 120, height: 40 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('run it', true);
    const ran = await terminal.waitFor(/Ran the command\.[\s\S]*· ready/);
    const afterFirst = footer(ran);
    const toolLine = /✓ bash seq 1 200000 \| wc -l \((\d+(?:\.\d+)?(?:ms|s))\)/.exec(ran);
    expect(toolLine, ran).not.toBeNull();
    expect(toolLine![1]).not.toBe('0ms');

    terminal.type('go slowly', true);
    await terminal.waitFor(/A slow/);
    terminal.keys('Escape');
    const stopped = await terminal.waitFor(/Interrupted\.[\s\S]*· ready/);
    const liveFooter = footer(stopped);
    expect(liveFooter).not.toMatch(/↑ 0 ↓ 0|ctx 0 /);
    terminal.keys('C-d');
    await terminal.waitFor(/KT_EXITED=0/);
    terminal.close();

    terminal = new TmuxSession(inDir(dir, 'resume --last'), env, { width: 120, height: 40 });
    // The transcript may be painted before the creature is attached: wait for the footer to name the model.
    const resumed = await terminal.waitFor(/Resumed: 2 earlier turns above\.[\s\S]*openai\/m · ready/);
    // The same line as live, with the time the command took then.
    expect(resumed).toContain(toolLine![0]);
    expect(resumed).toMatch(/› go slowly\n[\s\S]*Interrupted\.\n[\s\S]*Resumed: 2 earlier turns above\./);
    const resumedFooter = footer(resumed);
    expect(resumedFooter).not.toMatch(/↑ 0 ↓ 0|ctx 0 /);
    // Token totals and context fill go on from the session: at least what the first, complete turn
    // had used (the interrupted turn's own figures were partly estimates while it streamed).
    const was = figures(afterFirst);
    const now = figures(resumedFooter);
    expect(now.input, `${afterFirst}\n${resumedFooter}\n${liveFooter}`).toBeGreaterThanOrEqual(was.input);
    expect(now.output).toBeGreaterThanOrEqual(was.output);
    expect(now.context).toBeGreaterThanOrEqual(was.context);
  });
});
