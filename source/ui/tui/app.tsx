/**
 * The tui mode screen (full screen, alternate buffer): a scrollable
 * transcript pane on the left, tool calls / sub-agents / creature graph on
 * the right, the prompt box and footer at the bottom. The transcript is
 * virtualized: only the lines in view are handed to Ink.
 */
import { Box, Text, useBoxMetrics, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Footer } from '../components/footer.js';
import { LiveRegion } from '../components/live-region.js';
import { PromptArea } from '../components/prompt-area.js';
import type { AppProps } from '../components/app-props.js';
import { RenderContext } from '../components/render-context.js';
import { useView } from '../components/use-view.js';
import type { KeyEvent } from '../input/index.js';
import type { Item } from '../state/view.js';
import { AgentsPane, GraphPane, ToolsPane } from './panes.js';
import { TranscriptLines } from './transcript-lines.js';

/** Below this many columns the side panes would be too narrow to read: the transcript takes the screen. */
const SIDE_MIN_COLUMNS = 100;
const FINISHED_SHOWN = 30;

export function TuiApp({ slot, store, renderer, keymap, history, onExit, onRedraw, approvalMode = 'default' }: AppProps) {
  const { columns, rows } = useWindowSize();
  const view = useView(store, (s) => s);
  const [sideOpen, setSideOpen] = useState(true);
  const [sideShare, setSideShare] = useState(0.32);
  // Lines from the bottom; 0 follows the newest output.
  const [offset, setOffset] = useState(0);
  const paneRef = useRef(null);
  const pane = useBoxMetrics(paneRef);
  const lines = useRef<TranscriptLines>(undefined);
  lines.current ??= new TranscriptLines(renderer);

  const side = sideOpen && columns >= SIDE_MIN_COLUMNS;
  const sideWidth = side ? Math.max(28, Math.round(columns * sideShare)) : 0;
  const mainWidth = columns - sideWidth;
  const textWidth = Math.max(20, mainWidth - 4);

  const shown = useMemo(() => (view.shownFrom > 0 ? view.committed.slice(view.shownFrom) : view.committed), [view.committed, view.shownFrom]);
  // Drawn after the commit, not during render: Ink's renderToString cannot run inside a render.
  const [all, setAll] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    setImmediate(() => live && setAll(lines.current!.linesOf(shown, textWidth)));
    return () => {
      live = false;
    };
  }, [shown, textWidth]);
  const liveLines = estimateLiveLines(view);
  const height = Math.max(3, (pane.hasMeasured ? pane.clientHeight : rows - 8) - 1 - Math.min(liveLines, Math.floor(rows / 2)));
  const maxOffset = Math.max(0, all.length - height);
  const from = Math.max(0, all.length - height - Math.min(offset, maxOffset));
  const visible = all.slice(from, from + height);

  const onScroll = useCallback(
    (delta: number | 'pageUp' | 'pageDown') => {
      const step = delta === 'pageUp' ? -(height - 2) : delta === 'pageDown' ? height - 2 : delta;
      setOffset((current) => Math.min(maxOffset, Math.max(0, current - step)));
    },
    [height, maxOffset],
  );
  const onLayoutKey = useCallback((event: KeyEvent) => {
    if (event.kind !== 'key') return false;
    if (event.name === 'f2') {
      setSideOpen((open) => !open);
      return true;
    }
    // Alt+← / Alt+→ move the border between the transcript and the side panes.
    if (event.meta && (event.name === 'left' || event.name === 'right')) {
      setSideShare((share) => Math.min(0.6, Math.max(0.2, share + (event.name === 'left' ? 0.04 : -0.04))));
      return true;
    }
    return false;
  }, []);

  const finishedTools = useMemo(() => pickLast(shown, 'tool', FINISHED_SHOWN), [shown]);
  const finishedAgents = useMemo(() => pickLast(shown, 'subagent', FINISHED_SHOWN), [shown]);

  return (
    <RenderContext.Provider value={renderer}>
      <Box flexDirection="column" width={columns} height={rows}>
        <Box flexDirection="row" flexGrow={1} flexShrink={1} overflow="hidden">
          <Box ref={paneRef} flexDirection="column" width={mainWidth} borderStyle="single" borderColor="gray" paddingX={1} overflow="hidden">
            <Text bold color="cyan">
              Transcript
              <Text dimColor>{offset > 0 ? `  ↑ ${Math.min(offset, maxOffset)} lines up · PageDown to return` : '  PageUp/PageDown or wheel to scroll · F2 panes'}</Text>
            </Text>
            {visible.map((line, i) => (
              <Text key={from + i} wrap="truncate-end">
                {line || ' '}
              </Text>
            ))}
            {offset === 0 ? <LiveRegion view={view} width={textWidth} height={rows} expanded={view.expanded} /> : null}
          </Box>
          {side ? (
            <Box flexDirection="column" width={sideWidth}>
              <GraphPane view={view} />
              <ToolsPane view={view} finished={finishedTools} />
              <AgentsPane view={view} finished={finishedAgents} />
            </Box>
          ) : null}
        </Box>
        <PromptArea
          slot={slot}
          store={store}
          keymap={keymap}
          history={history}
          onExit={onExit}
          onRedraw={onRedraw}
          approvalMode={approvalMode}
          onScroll={onScroll}
          onLayoutKey={onLayoutKey}
        />
        <Footer view={view} />
      </Box>
    </RenderContext.Provider>
  );
}

function estimateLiveLines(view: { streaming: string; running: readonly { preview: string[] }[]; subagents: readonly unknown[]; jobs: readonly unknown[]; turnActive: boolean; phase: string }): number {
  const streaming = view.streaming ? view.streaming.split('\n').length + 1 : 0;
  const tools = view.running.reduce((n, tool) => n + 1 + Math.min(15, tool.preview.length), 0);
  return streaming + tools + view.subagents.length * 2 + (view.jobs.length ? 1 : 0) + (view.turnActive ? 1 : 0);
}

function pickLast<K extends Item['kind']>(items: readonly Item[], kind: K, count: number): Extract<Item, { kind: K }>[] {
  const out: Extract<Item, { kind: K }>[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < count; i--) {
    const item = items[i]!;
    if (item.kind === kind) out.unshift(item as Extract<Item, { kind: K }>);
  }
  return out;
}
