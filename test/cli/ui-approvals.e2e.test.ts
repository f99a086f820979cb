/**
 * Approvals on a real terminal (tmux plays the user): Shift+Tab cycles the
 * approval mode shown in the footer, plan mode refuses an edit and tells the
 * model to present a plan, /approvals shows and sets the mode, and while kt
 * waits for an approval the screen says "waiting for you" and the tool's
 * shown time leaves the wait out.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tmuxLifecycle, envFor, ktRun, tempProject } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

const project = () => tempProject('kt-ui-approvals-');
const messagesOf = (s: FakeOpenAIServer, i: number) => s.requests[i]!.body!.messages as Array<{ role: string; content: string }>;

/** The footer: the screen's last non-empty line. */
const footer = (screen: string) => screen.trimEnd().split('\n').at(-1)!;

/** Milliseconds in a shown duration: `12ms`, `1.4s`. */
function millis(shown: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(shown);
  if (!match) throw new Error(`not a duration: ${shown}`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

describe('approval modes on the terminal', () => {
  it('Shift+Tab cycles the footer through the modes; in plan mode an edit is refused and the model is told to present a plan', async () => {
    server = await startFakeOpenAI({
      script: [{ toolCalls: [{ id: 'w1', name: 'write', arguments: { path: 'plan.txt', content: 'changed' } }] }, { text: 'Here is my plan instead.' }],
    });
    const dir = project();
    terminal = new TmuxSession(ktRun(dir), envFor(server), { width: 120, height: 30 });
    expect(footer(await terminal.waitFor(/openai\/m · ready · default mode/))).toMatch(/· default mode$/);
    terminal.keys('BTab');
    await terminal.waitFor(/· ready · auto-edit mode/);
    terminal.keys('BTab');
    await terminal.waitFor(/· ready · plan mode/);

    terminal.type('change plan.txt', true);
    const done = await terminal.waitFor(/Here is my plan instead\.[\s\S]*· ready · plan mode/);
    expect(done).toMatch(/✗ write plan\.txt/);
    expect(done).not.toMatch(/Write this file\?|Edit this file\?/); // refused, never asked
    expect(existsSync(join(dir, 'plan.txt'))).toBe(false);
    const told = messagesOf(server, 1).at(-1)!;
    expect(told.role).toBe('tool');
    expect(told.content).toMatch(/plan mode is on[\s\S]*present your plan/);

    terminal.keys('BTab');
    await terminal.waitFor(/· ready · yolo mode/);
    terminal.keys('BTab');
    await terminal.waitFor(/· ready · default mode/);
    terminal.type('/approvals auto-edit', true);
    await terminal.waitFor(/Approval mode: auto-edit \(edits run unasked, commands ask\)\.[\s\S]*· ready · auto-edit mode/);
    terminal.type('/approvals', true);
    await terminal.waitFor(/approval mode: auto-edit \(edits run unasked, commands ask\)\. Set it with/);

    // /model alone: a numbered choice of models; a name typed instead works too.
    terminal.type('/model', true);
    await terminal.waitFor(/\? Model now: openai\/m\. Switch to[\s\S]*1\. openai\/[\s\S]*answer/);
    terminal.type('openai/gpt-4o-mini', true);
    await terminal.waitFor(/Switched from openai\/m to openai\/gpt-4o-mini; the conversation carries over\.[\s\S]*openai\/gpt-4o-mini · ready/);
  });

  it('an approval wait shows "waiting for you", and the tool’s shown time leaves the wait out', async () => {
    server = await startFakeOpenAI({ script: [{ toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: 'echo approved-run' } }] }, { text: 'Done running.' }] });
    terminal = new TmuxSession(ktRun(project()), envFor(server), { width: 120, height: 30 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('run it', true);
    const asking = await terminal.waitFor(/Run this command\?[\s\S]*\$ echo approved-run[\s\S]*· waiting for you/);
    expect(asking).not.toMatch(/running tools/);
    // The question stays open a while (the screen still says so on every look), then is answered:
    // counted as tool time, the wait alone would make the shown time at least this long.
    const asked = Date.now();
    const WAIT_MS = 2500;
    await terminal.waitFor((screen) => {
      if (!/· waiting for you/.test(screen)) throw new Error(`the wait stopped being shown:\n${screen}`);
      return Date.now() - asked >= WAIT_MS;
    });
    const answered = Date.now();
    terminal.type('y');
    const done = await terminal.waitFor(/Done running\.[\s\S]*· ready/);
    const seen = Date.now();
    const shown = /✓ bash echo approved-run.*\((\d+(?:\.\d+)?(?:ms|s))\)/.exec(done);
    expect(shown, done).not.toBeNull();
    // The tool ran wholly between the answer and the result on screen, however slow the machine;
    // had the wait been counted, the shown time would be at least WAIT_MS more (100 ms: display rounding).
    expect(millis(shown![1]!)).toBeLessThanOrEqual(seen - answered + 100);
  });
});
