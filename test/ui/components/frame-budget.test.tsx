/**
 * What a frame costs while an answer streams: every frame redraws the whole
 * live region, so frames nobody needs are frames a keypress may wait behind.
 * React's act() runs each step to the end (renders, effects and the renders
 * they cause), so the frames each step drew can be counted exactly.
 */
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { act, type ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { AgentEvent } from '../../../source/index.js';
import { App } from '../../../source/ui/cli/app.js';
import { LiveRegion } from '../../../source/ui/components/live-region.js';
import { plainRenderer, RenderContext, type TextRenderer } from '../../../source/ui/components/render-context.js';
import { defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint, loadMarkdown } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';

const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
beforeAll(() => void (actEnvironment.IS_REACT_ACT_ENVIRONMENT = true));
afterAll(() => void delete actEnvironment.IS_REACT_ACT_ENVIRONMENT);

const envelope = { seq: 1, ts: 0, sessionId: 's', creatureId: 'c', turnId: 't', agentPath: ['c'] };
const event = (e: Record<string, unknown>) => ({ ...envelope, ...e }) as unknown as AgentEvent;

async function app(frameMs: number) {
  const store = new ViewStore(initialView({ model: 'scripted' }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs });
  let shown!: ReturnType<typeof render>;
  await act(async () => {
    shown = render(<App slot={new AgentSlot()} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
  });
  onTestFinished(() => act(() => shown.unmount()));
  const type = (keys: string) => act(async () => void shown.stdin.write(keys));
  return { store, shown, type };
}

describe('frame budget', () => {
  it('a keystroke draws one frame', async () => {
    const { shown, type } = await app(0);
    await type('a');
    const before = shown.frames.length;
    await type('b');
    expect(shown.lastFrame()).toMatch(/› ab/);
    expect(shown.frames.length - before).toBe(1);
  });

  it('a keystroke draws the answer streamed so far with its echo, in the same frame', async () => {
    // The store's own frame is a minute away: only the key can draw the text.
    const { store, shown, type } = await app(60_000);
    onTestFinished(() => store.flush());
    store.dispatch(event({ type: 'text.delta', step: 0, text: 'Streamed words' }));
    const before = shown.frames.length;
    await type('x');
    expect(shown.frames.length - before).toBe(1);
    expect(shown.lastFrame()).toMatch(/Streamed words[\s\S]*› x/);
  });

  it('the live region keeps a clock only while it shows an elapsed time', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    onTestFinished(() => void vi.useRealTimers());
    const streaming = { ...initialView(), turnActive: true, phase: 'streaming' as const, streaming: 'Some words' };
    const region = (view: typeof streaming) => <LiveRegion view={view} width={80} height={40} expanded={false} />;
    let shown!: ReturnType<typeof render>;
    await act(async () => void (shown = render(region(streaming))));
    onTestFinished(() => act(() => shown.unmount()));
    // Only text streams: nothing ticks (a tick would redraw an unchanged frame ten times a second).
    expect(vi.getTimerCount()).toBe(0);
    // A background job shows how long it has run: the clock ticks while it is there.
    await act(async () => shown.rerender(region({ ...streaming, jobs: [{ jobId: 'j', kind: 'tool', name: 'make', summary: 'make', startedAt: Date.now() }] })));
    expect(vi.getTimerCount()).toBe(1);
    await act(async () => shown.rerender(region(streaming)));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the streaming answer, drawn a Text per line, looks as it did as one Text', async () => {
    const { renderMarkdown } = await loadMarkdown();
    const renderer: TextRenderer = { color: true, markdown: (text, width) => renderMarkdown(text, { width, color: true }), diff: plainRenderer.diff };
    const streaming = [
      '## Plan',
      '',
      'Some **bold** words, `code` and a [link](https://example.com) in a paragraph long enough to wrap.',
      '',
      '```ts',
      '/* a comment',
      '   over two lines */',
      'const a = "text";',
      '```',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '> quoted',
      '',
      '- one',
      '- two',
    ].join('\n');
    // 16 columns: the renderer still draws 20, so Ink wraps each line in the narrower box.
    for (const width of [72, 16]) {
      const inBox = (node: ReactNode) => render(<RenderContext.Provider value={renderer}><Box width={width}>{node}</Box></RenderContext.Provider>).lastFrame();
      const lines = inBox(<LiveRegion view={{ ...initialView(), streaming }} width={width} height={40} expanded={false} />);
      const whole = inBox(
        <Box flexDirection="column">
          <Box paddingLeft={2} marginTop={1}>
            <Text>{renderer.markdown(streaming, Math.max(20, width - 2))}</Text>
          </Box>
        </Box>,
      );
      expect(lines).toBe(whole);
      expect(lines).toMatch(/\u001b\[[0-9;]*m/); // styled: the comparison covers colours, not only text
    }
  });
});
