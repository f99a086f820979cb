/**
 * `--verbose` starts the terminal app expanded, as after Ctrl+O: a finished
 * command keeps every line of its output in the transcript, not the last 5.
 * Ctrl+O still toggles it back.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../source/index.js';
import { App } from '../../../source/ui/cli/app.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { until } from '../../helpers/until.js';

const ev = (e: Record<string, unknown>): AgentEvent => ({ ts: 1, seq: 1, agentPath: ['c'], creatureId: 'id', turnId: 't1', ...e }) as unknown as AgentEvent;
const OUTPUT = Array.from({ length: 12 }, (_, i) => `out-line-${i + 1}`).join('\n');

async function finishedCommand(expanded: boolean) {
  const store = new ViewStore(initialView({ model: 'scripted', expanded }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 });
  const app = render(<App slot={new AgentSlot()} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
  await until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');
  store.dispatch(ev({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'seq 12' }, step: 1, background: false }));
  store.dispatch(ev({ type: 'tool.result', callId: 'c1', name: 'bash', output: OUTPUT, isError: false, status: 'ok', durationMs: 40 }));
  store.flush();
  const frame = await until(() => app.frames.find((f) => /✓ bash seq 12/.test(f)), 'the finished command in the transcript');
  return { app, store, frame };
}

describe('the app started with --verbose', () => {
  it('keeps all lines of a finished command; started collapsed it keeps the last 5', async () => {
    const verbose = await finishedCommand(true);
    for (let i = 1; i <= 12; i++) expect(verbose.frame).toContain(`out-line-${i}\n`);
    expect(verbose.frame).not.toMatch(/earlier lines/);
    verbose.app.unmount();

    const plain = await finishedCommand(false);
    expect(plain.frame).toMatch(/… 7 earlier lines \(Ctrl\+O shows all\)/);
    expect(plain.frame).not.toContain('out-line-7\n');
    expect(plain.frame).toContain('out-line-12');
    plain.app.unmount();
  });

  it('Ctrl+O turns it off again', async () => {
    const { app, store } = await finishedCommand(true);
    app.stdin.write('\u000f');
    await until(() => !store.getState().expanded, 'Ctrl+O to collapse');
    app.unmount();
  });
});
