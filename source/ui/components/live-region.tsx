/**
 * What is still moving: the streaming answer's tail, the model thinking,
 * running tools (spinner, elapsed time, a bounded preview), running
 * sub-agents with what they are doing, and the background jobs strip.
 * Everything here is bounded in height so the live region never outgrows
 * the terminal (the cause of Ink's full-screen repaints).
 */
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { useMemo } from 'react';
import { formatDuration } from '../format.js';
import { toolElapsed, type ViewState } from '../state/view.js';
import { useRenderer } from './render-context.js';
import { useClock } from './use-clock.js';

export interface LiveRegionProps {
  view: Pick<ViewState, 'streaming' | 'reasoning' | 'running' | 'subagents' | 'jobs' | 'phase' | 'turnActive'>;
  width: number;
  /** Terminal rows: every running tool's preview together stays well inside them. */
  height: number;
  /** Show as much of each tool's output as fits instead of the last 15 lines (Ctrl+O). */
  expanded: boolean;
}

const COLLAPSED_PREVIEW = 15;
/** Rows kept free for the prompt box, footer and the tools' own header lines. */
const RESERVED_ROWS = 12;

export function LiveRegion({ view, width, height, expanded }: LiveRegionProps) {
  // The clock drives only elapsed-time labels (spinners keep their own time): while the answer
  // alone streams, a tick would redraw the whole frame, unchanged, ten times a second.
  const timed = view.running.length > 0 || view.jobs.length > 0 || view.subagents.length > 0;
  const now = useClock(timed);
  const renderer = useRenderer();
  const textWidth = Math.max(20, width - 2);
  // Renders that leave the answer as it was (a tool's tick) skip parsing it again.
  const streamed = useMemo(() => (view.streaming ? renderer.markdown(view.streaming, textWidth).split('\n') : []), [renderer, view.streaming, textWidth]);
  const fits = Math.max(1, Math.floor((height - RESERVED_ROWS - view.subagents.length * 2) / Math.max(1, view.running.length)));
  const previewLines = expanded ? fits : Math.min(COLLAPSED_PREVIEW, fits);
  return (
    <Box flexDirection="column">
      {view.streaming ? (
        // Rendered as it will be once committed, so nothing jumps (no raw `##`, fences or `**`).
        // A Text per line: Ink breaks a Text into styled cells on every frame, a many-line one twice
        // (whole, then line by line), a one-line one once; that is a fifth of the garbage a frame
        // makes while a long block streams. The renderer's lines each close their own styles.
        <Box paddingLeft={2} marginTop={1} flexDirection="column">
          {streamed.map((line, i) => (
            <Text key={i}>{line || ' '}</Text>
          ))}
        </Box>
      ) : null}
      {view.phase === 'thinking' ? (
        <Box paddingLeft={2}>
          <Text dimColor italic>
            thinking… {lastLine(view.reasoning, width - 14)}
          </Text>
        </Box>
      ) : null}
      {view.running.map((tool) => (
        <Box key={tool.callId} flexDirection="column" paddingLeft={2}>
          <Text>
            {tool.waitingSince !== undefined ? <Text color="yellow">?</Text> : (
              <Text color="cyan">
                <Spinner type="dots" />
              </Text>
            )}
            <Text bold> {tool.name}</Text>
            {tool.summary ? <Text dimColor> {tool.summary}</Text> : null}
            <Text dimColor> {tool.waitingSince !== undefined ? 'waiting for you' : formatDuration(toolElapsed(tool, now))}</Text>
          </Text>
          {tool.preview.length > 0 ? (
            <Box paddingLeft={2} flexDirection="column">
              {tool.preview.slice(-previewLines).map((line, i) => (
                <Text key={i} dimColor wrap="truncate-end">
                  {line}
                </Text>
              ))}
            </Box>
          ) : null}
        </Box>
      ))}
      {view.subagents.map((agent) => (
        <Box key={agent.jobId} paddingLeft={2} flexDirection="column">
          <Text>
            <Text color="magenta">
              <Spinner type="dots" />
            </Text>
            <Text bold> {agent.name}</Text>
            <Text dimColor>
              {' '}
              {clip(agent.task, 50)} · {agent.toolCalls} tools · {formatDuration(Math.max(0, now - agent.startedAt))}
              {agent.background ? ' · background' : ''}
            </Text>
          </Text>
          <Box paddingLeft={4}>
            <Text dimColor wrap="truncate-end">
              {agent.activity}
            </Text>
          </Box>
        </Box>
      ))}
      {view.turnActive && view.running.length === 0 && !view.streaming && view.phase !== 'thinking' ? (
        <Box paddingLeft={2}>
          <Text color="cyan">
            <Spinner type="dots" />
          </Text>
          <Text dimColor> working</Text>
        </Box>
      ) : null}
      {view.jobs.length > 0 ? (
        <Box paddingLeft={2}>
          <Text dimColor wrap="truncate-end">
            ⧗ {view.jobs.length} background: {view.jobs.map((job) => `${job.name} ${formatDuration(Math.max(0, now - job.startedAt))}`).join(' · ')}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

function lastLine(text: string, width: number): string {
  const line = text.split('\n').filter((l) => l.trim()).at(-1) ?? '';
  return clip(line.trim(), Math.max(10, width));
}

function clip(text: string, width: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > width ? `${one.slice(0, width - 1)}…` : one;
}
