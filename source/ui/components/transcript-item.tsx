/**
 * One finished transcript entry. These are handed to `<Static>` in cli mode
 * and written to the terminal's scrollback once, so they must not depend on
 * anything that changes later.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { firstLine, formatDuration } from '../format.js';
import type { Item } from '../state/view.js';
import { useRenderer } from './render-context.js';

/** Lines of a diff shown before "… n more lines". */
const DIFF_LINES = 15;

const TONE_COLOR = { info: 'gray', warning: 'yellow', error: 'red', success: 'green' } as const;

export const TranscriptItem = memo(function TranscriptItem({ item, width }: { item: Item; width: number }) {
  const renderer = useRenderer();
  switch (item.kind) {
    case 'user':
      return (
        <Box marginTop={1}>
          <Text color="cyan" bold>
            {'› '}
          </Text>
          <Text bold>{item.text}</Text>
        </Box>
      );
    case 'assistant':
      return (
        <Box marginTop={item.continues ? 0 : 1} paddingLeft={2}>
          <Text>{renderer.markdown(item.text, Math.max(20, width - 2))}</Text>
        </Box>
      );
    case 'tool':
      return <ToolItem item={item} width={width} />;
    case 'subagent':
      return (
        <Box flexDirection="column" paddingLeft={2}>
          <Text>
            <Text color={item.status === 'completed' ? 'magenta' : 'yellow'}>◆ </Text>
            <Text bold>{item.name}</Text>
            <Text dimColor>
              {' '}
              {firstLine(item.task, 60)} · {item.status} · {item.steps} rounds, {item.toolCalls} tools, {formatDuration(item.durationMs)}
            </Text>
          </Text>
          {item.text ? (
            <Box paddingLeft={2}>
              <Text dimColor>{firstLine(item.text, Math.max(20, width - 6))}</Text>
            </Box>
          ) : null}
        </Box>
      );
    case 'info':
      return (
        <Box paddingLeft={2}>
          <Text color={TONE_COLOR[item.tone]}>{item.text}</Text>
        </Box>
      );
  }
});

function ToolItem({ item, width }: { item: Extract<Item, { kind: 'tool' }>; width: number }) {
  const renderer = useRenderer();
  const indent = 2 + item.under.length * 2;
  const diff = typeof item.metadata?.diff === 'string' ? item.metadata.diff : undefined;
  return (
    <Box flexDirection="column" paddingLeft={indent}>
      <Text>
        <Text color={item.ok ? 'green' : 'red'}>{item.ok ? '✓ ' : '✗ '}</Text>
        {item.under.length > 0 ? <Text dimColor>{item.under.join(' › ')} › </Text> : null}
        <Text bold>{item.name}</Text>
        {item.summary ? <Text dimColor> {item.summary}</Text> : null}
        <Text dimColor> ({formatDuration(item.durationMs)})</Text>
      </Text>
      {!item.ok ? (
        <Box paddingLeft={2}>
          <Text color="red">{firstLine(item.output, Math.max(20, width - indent - 2))}</Text>
        </Box>
      ) : diff && item.under.length === 0 ? (
        <Box paddingLeft={2}>
          <Text>{renderer.diff(diff, Math.max(20, width - indent - 2), DIFF_LINES)}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
