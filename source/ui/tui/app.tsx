/**
 * The tui mode screen (full screen, alternate buffer): a scrollable
 * transcript pane on the left, tool calls / sub-agents / creature graph on
 * the right, the prompt box and footer at the bottom. The transcript is
 * virtualized: only the lines in view are handed to Ink.
 */
import { Box, Text, useBoxMetrics, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
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

const SIDE_SHARE = 0.32;

/** The transcript pane's width: the screen, less the side panes when they are open and fit. */
function transcriptPaneWidth(columns: number, sideOpen: boolean, share: number): number {
  if (!sideOpen || columns < SIDE_MIN_COLUMNS) return columns;
  return columns - Math.max(28, Math.round(columns * share));
}

/** How wide the transcript's text is on a fresh screen `columns` wide (inside the pane's border and padding). */
export function tuiTextWidth(columns: number): number {
  return Math.max(20, transcriptPaneWidth(columns, true, SIDE_SHARE) - 4);
}

/** A team's screen: its tabs above the transcript, its graph on the side, its keys and `@name` lines first. */
export interface TuiTeam {
  header: ReactNode;
  side: ReactNode;
  /** The main pane's title when it is not a creature's transcript (a channel tab's log). */
  title?: string;
  onLayoutKey(event: KeyEvent, prompt: { empty: boolean }): boolean;
  onSubmitLine(raw: string): boolean;
}

export function TuiApp({ slot, store, renderer, keymap, history, onExit, onRedraw, approvalMode = 'default', team }: AppProps & { team?: TuiTeam }) {
  const { columns, rows } = useWindowSize();
  const view = useView(store, (s) => s);
  const [sideOpen, setSideOpen] = useState(true);
  const [sideShare, setSideShare] = useState(SIDE_SHARE);
  // Lines from the bottom; 0 follows the newest output.
  const [offset, setOffset] = useState(0);
  const bodyRef = useRef(null);
  const body = useBoxMetrics(bodyRef);
  const lines = useRef<TranscriptLines>(undefined);
  lines.current ??= new TranscriptLines(renderer);

  const mainWidth = transcriptPaneWidth(columns, sideOpen, sideShare);
  const side = mainWidth < columns;
  const sideWidth = columns - mainWidth;
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
  // The body's own rows (the pane minus its border and title row). While following the newest
  // output the live region sits under these lines and the body clips the oldest from the top.
  const height = Math.max(1, body.hasMeasured ? body.height : rows - 8);
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
  const onLayoutKey = useCallback((event: KeyEvent, prompt: { empty: boolean }) => {
    if (team?.onLayoutKey(event, prompt)) return true;
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
  }, [team]);

  const finishedTools = useMemo(() => pickLast(shown, 'tool', FINISHED_SHOWN), [shown]);
  const finishedAgents = useMemo(() => pickLast(shown, 'subagent', FINISHED_SHOWN), [shown]);

  return (
    <RenderContext.Provider value={renderer}>
      <Box flexDirection="column" width={columns} height={rows}>
        {team ? <Box flexShrink={0}>{team.header}</Box> : null}
        {/* Sized by what is left after the prompt and footer (basis 0), never by its content: a long
            answer cannot push the prompt box or footer off the screen. */}
        <Box flexDirection="row" flexGrow={1} flexShrink={1} flexBasis={0} overflow="hidden">
          <Box flexDirection="column" width={mainWidth} borderStyle="single" borderColor="gray" paddingX={1} overflow="hidden">
            <Box flexShrink={0}>
              <Text bold color="cyan" wrap="truncate-end">
                {team?.title ?? 'Transcript'}
                <Text dimColor>{offset > 0 ? `  ↑ ${Math.min(offset, maxOffset)} lines up · PageDown to return` : '  PageUp/PageDown or wheel to scroll · F2 panes'}</Text>
              </Text>
            </Box>
            {/* The body's content is at least as tall as the body, lines from the top; when it is taller it
                overflows at the top (flex-end) and is clipped there, so the title row above is never drawn
                over, whatever the live region's real height. */}
            <Box ref={bodyRef} flexDirection="column" flexGrow={1} flexShrink={1} flexBasis={0} justifyContent="flex-end" overflow="hidden">
              <Box flexDirection="column" flexShrink={0} minHeight={height}>
                {visible.map((line, i) => (
                  <Text key={from + i} wrap="truncate-end">
                    {line || ' '}
                  </Text>
                ))}
                {offset === 0 ? <LiveRegion view={view} width={textWidth} height={rows} expanded={view.expanded} /> : null}
              </Box>
            </Box>
          </Box>
          {side ? (
            <Box flexDirection="column" width={sideWidth}>
              {team ? team.side : <GraphPane view={view} />}
              <ToolsPane view={view} finished={finishedTools} />
              <AgentsPane view={view} finished={finishedAgents} />
            </Box>
          ) : null}
        </Box>
        <Box flexDirection="column" flexShrink={0}>
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
            {...(team ? { onSubmitLine: team.onSubmitLine } : {})}
            mode="tui"
          />
        </Box>
        <Box flexShrink={0}>
          <Footer view={view} />
        </Box>
      </Box>
    </RenderContext.Provider>
  );
}

function pickLast<K extends Item['kind']>(items: readonly Item[], kind: K, count: number): Extract<Item, { kind: K }>[] {
  const out: Extract<Item, { kind: K }>[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < count; i--) {
    const item = items[i]!;
    if (item.kind === kind) out.unshift(item as Extract<Item, { kind: K }>);
  }
  return out;
}
