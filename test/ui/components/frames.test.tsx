/**
 * Components rendered with ink-testing-library: the frames they draw for a
 * given view model and the keys they react to.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ScriptedLLM } from '../../../source/testing/index.js';
import { Agent } from '../../../source/index.js';
import { App } from '../../../source/ui/cli/app.js';
import { AskDialog } from '../../../source/ui/components/ask-dialog.js';
import { Composer } from '../../../source/ui/components/composer.js';
import { Footer } from '../../../source/ui/components/footer.js';
import { LiveRegion } from '../../../source/ui/components/live-region.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { TranscriptItem } from '../../../source/ui/components/transcript-item.js';
import { createBuffer, defaultKeymap, PromptHistory, reduceBuffer } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { frame } from '../../helpers/frames.js';
import { until } from '../../helpers/until.js';


describe('components', () => {
  it('Footer: tokens, context fill coloured by threshold, model and state', () => {
    const view = { ...initialView({ model: 'anthropic/claude-sonnet-5' }), usage: { input: 12_300, output: 456, cached: 1000, contextTokens: 150_000, maxContext: 200_000 } };
    const { lastFrame } = render(<Footer view={view} />);
    expect(lastFrame()).toBe(' ↑ 12k ↓ 456 (1.0k cached) · ctx 75% · anthropic/claude-sonnet-5 · ready · default mode');
    expect(render(<Footer view={{ ...view, approvalMode: 'plan' }} />).lastFrame()).toMatch(/· ready · plan mode$/);
  });

  it('Composer: the cursor sits on the right grapheme of a multi-line buffer', () => {
    let buffer = reduceBuffer(createBuffer(), { type: 'insert', text: 'first line' });
    buffer = reduceBuffer(buffer, { type: 'newline' });
    buffer = reduceBuffer(buffer, { type: 'insert', text: '日本語' });
    buffer = reduceBuffer(buffer, { type: 'left' });
    const { lastFrame } = render(<Composer buffer={buffer} width={30} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[1]).toBe('│ › first line               │');
    expect(lines[2]).toBe('│   日本語                   │');
    expect(lines).toHaveLength(4);
  });

  it('TranscriptItem: a failed tool shows its error line; a diff is cut to 15 lines', () => {
    const failed = render(
      <TranscriptItem item={{ kind: 'tool', id: 1, callId: 'c', name: 'bash', summary: 'npm test', ok: false, status: 'error', output: 'exit 1\nmore', durationMs: 1200, under: [] }} width={80} />,
    );
    expect(failed.lastFrame()).toBe('  ✗ bash npm test (1.2s)\n    exit 1');
    const patch = ['--- a/x', '+++ b/x', '@@ -1,20 +1,20 @@', ...Array.from({ length: 20 }, (_, i) => `+line ${i}`)].join('\n');
    const edited = render(
      <TranscriptItem item={{ kind: 'tool', id: 2, callId: 'd', name: 'edit', summary: 'x', ok: true, status: 'ok', output: 'ok', durationMs: 3, metadata: { diff: patch }, under: [] }} width={80} />,
    );
    const lines = edited.lastFrame()!.split('\n');
    expect(lines[0]).toBe('  ✓ edit x (3ms)');
    expect(lines.at(-1)).toMatch(/… 8 more lines/);
  });

  it('LiveRegion: running tools with elapsed time and preview, nested sub-agents, the jobs strip', () => {
    // The clock stands still, so the elapsed times are exact however long rendering takes.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const now = Date.now();
    const view = {
      ...initialView(),
      turnActive: true,
      phase: 'tools' as const,
      running: [{ callId: 'c1', name: 'bash', summary: 'npm test', startedAt: now - 2500, preview: Array.from({ length: 30 }, (_, i) => `out ${i}`) }],
      subagents: [{ jobId: 'j', name: 'explore', task: 'find the parser', startedAt: now - 1000, background: false, toolCalls: 3, activity: 'grep parse' }],
      jobs: [{ jobId: 'job_1', kind: 'tool' as const, name: 'make', summary: 'make', startedAt: now - 61_000 }],
    };
    const frame = render(<LiveRegion view={view} width={80} height={50} expanded={false} />).lastFrame()!;
    expect(frame).toMatch(/bash npm test 2\.\ds/);
    expect(frame).toMatch(/^ {4}out 15\n[\s\S]* {4}out 29$/m); // the last 15 lines of the output
    expect(frame).not.toMatch(/^ {4}out 14$/m);
    expect(frame).toMatch(/explore find the parser · 3 tools · 1\.\ds\n {6}grep parse/);
    expect(frame).toMatch(/⧗ 1 background: make 1m 0[01]s/);
    const expanded = render(<LiveRegion view={view} width={80} height={50} expanded />).lastFrame()!;
    expect(expanded).toMatch(/^ {4}out 5$/m); // as much as fits in 50 rows
    const small = render(<LiveRegion view={view} width={80} height={20} expanded={false} />).lastFrame()!;
    expect(small.split('\n').length).toBeLessThan(20); // never taller than the terminal
  });

  it('AskDialog: the question, numbered choices and the answer box', () => {
    const frame = render(<AskDialog question={{ question: 'Which colour?', choices: ['red', 'blue'] }} buffer={createBuffer()} width={60} />).lastFrame()!;
    expect(frame).toMatch(/\? Which colour\?\n {3}1\. red\n {3}2\. blue/);
    expect(frame).toMatch(/answer {2}a number or your own words · Esc to decline/);
  });
});

describe('App (in process, scripted model)', () => {
  it('typing a prompt runs a turn; the answer lands in the transcript; Esc interrupts; Ctrl+D leaves', async () => {
    const llm = new ScriptedLLM([{ text: 'Hello **there**.' }, { hang: true }]);
    const agent = await Agent.build({ name: 'ui-test' }, { llm, pwd: process.cwd() });
    const store = new ViewStore(initialView({ model: 'scripted' }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 });
    agent.on(store.dispatch);
    const turnEnd = () => new Promise<string>((resolve) => { const off = agent.on('turn.end', (e) => { off(); resolve(e.status); }); });
    let exited = false;
    const app = render(
      <App slot={new AgentSlot(agent)} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => (exited = true)} onRedraw={() => {}} />,
    );
    // The app reads keys once its input effect has run.
    await until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');
    app.stdin.write('hi');
    expect(await frame(app, /│ › hi/)).toMatch(/│ › hi/);
    let ended = turnEnd();
    app.stdin.write('\r');
    expect(await ended).toBe('completed');
    expect(store.getState().committed.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(await frame(app, /Ask anything/)).toMatch(/Ask anything/); // the box is empty again

    ended = turnEnd();
    app.stdin.write('wait forever\r');
    expect(await frame(app, /Esc to interrupt/)).toMatch(/Esc to interrupt/);
    app.stdin.write('\u001b'); // a lone Escape, delivered after the escape timeout
    expect(await ended).toBe('interrupted');
    expect(await frame(app, /Interrupted\./)).toMatch(/Interrupted\./);

    app.stdin.write('\u0004'); // Ctrl+D on an empty prompt
    await until(() => exited, 'the app to exit');
    app.unmount();
    await agent.stop();
  });
});
