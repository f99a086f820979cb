/**
 * One finished transcript entry. These are handed to `<Static>` in cli mode
 * and written to the terminal's scrollback once, so they must not depend on
 * anything that changes later.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { type CardView, cardOf } from '../card.js';
import { firstLine, formatDuration } from '../format.js';
import type { Item } from '../state/view.js';
import { useRenderer } from './render-context.js';

/** Lines of a diff shown before "… n more lines". */
const DIFF_LINES = 15;
/** Last lines of a finished command kept in the transcript. */
const TAIL_LINES = 5;
/** Tools whose output is a command's: its tail is kept. */
const COMMAND_TOOLS = new Set(['bash']);
const ASK_TOOL = 'ask_user';

const TONE_COLOR = { info: 'gray', warning: 'yellow', error: 'red', success: 'green' } as const;

export const TranscriptItem = memo(function TranscriptItem({ item, width, expanded = false }: { item: Item; width: number; expanded?: boolean }) {
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
    case 'trigger':
      return <TriggerMark item={item} width={width} />;
    case 'assistant':
      return (
        // A continuing chunk was cut at a block boundary (a blank line, a fence), which the whole
        // answer rendered at once (a resume) shows as a blank line: keep it, so both look the same.
        <Box marginTop={1} paddingLeft={2}>
          <Text>{renderer.markdown(item.text, Math.max(20, width - 2))}</Text>
        </Box>
      );
    case 'tool':
      return <ToolItem item={item} width={width} expanded={expanded} />;
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

/** Lines of a trigger's content kept under its mark: enough to say what it asked, not a pasted payload. */
const TRIGGER_LINES = 3;

/** Where a typed message would stand: what started the turn, and what it handed the creature (dim, cut short). */
function TriggerMark({ item, width }: { item: Extract<Item, { kind: 'trigger' }>; width: number }) {
  const lines = item.text.replace(/\n+$/, '').split('\n').filter((line) => line.trim());
  const shown = lines.slice(0, TRIGGER_LINES);
  const more = lines.length - shown.length;
  return (
    <Box marginTop={1} flexDirection="column">
      <Text color="magenta" bold>
        {item.label}
      </Text>
      {shown.map((line, i) => (
        <Box key={i} paddingLeft={2} width={Math.max(20, width)}>
          <Text dimColor wrap="truncate-end">
            {line}
          </Text>
        </Box>
      ))}
      {more > 0 ? (
        <Box paddingLeft={2}>
          <Text dimColor>… {more} more line{more === 1 ? '' : 's'}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function ToolItem({ item, width, expanded }: { item: Extract<Item, { kind: 'tool' }>; width: number; expanded: boolean }) {
  const renderer = useRenderer();
  if (item.name === ASK_TOOL && item.under.length === 0) return <AskItem item={item} />;
  const indent = 2 + item.under.length * 2;
  const diff = typeof item.metadata?.diff === 'string' ? item.metadata.diff : undefined;
  const card = item.ok ? cardOf(item.metadata) : undefined;
  if (card) return <CardBox card={card} width={width - indent} indent={indent} />;
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
      ) : COMMAND_TOOLS.has(item.name) && item.under.length === 0 ? (
        <OutputTail output={item.output} all={expanded} />
      ) : null}
    </Box>
  );
}

/** `show_card`: a bordered box with the title, the fields aligned on their labels, and the markdown body. */
function CardBox({ card, width, indent }: { card: CardView; width: number; indent: number }) {
  const renderer = useRenderer();
  const labels = Math.max(0, ...card.fields.map((f) => f.label.length));
  const inner = Math.max(20, width - 4);
  return (
    <Box flexDirection="column" marginLeft={indent} borderStyle="round" borderColor={CARD_COLOR[card.tone]} paddingX={1} width={Math.max(24, width)}>
      <Text bold>{card.title}</Text>
      {card.fields.map((f, i) => (
        <Text key={i}>
          <Text dimColor>{`${f.label}:`.padEnd(labels + 1)} </Text>
          {f.value}
        </Text>
      ))}
      {card.body.trim() ? (
        <Box marginTop={card.fields.length ? 1 : 0}>
          <Text>{renderer.markdown(card.body, inner)}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

const CARD_COLOR = { info: 'cyan', success: 'green', warning: 'yellow', error: 'red' } as const;

/**
 * The last lines of a finished command (all of them with Ctrl+O or --verbose on when it finished):
 * `PASS`/`FAIL` and the like stay in the scrollback after the live preview is gone.
 */
function OutputTail({ output, all }: { output: string; all: boolean }) {
  const lines = output.replace(/\n+$/, '').split('\n');
  if (lines.length === 1 && !lines[0]!.trim()) return null;
  const shown = all ? lines : lines.slice(-TAIL_LINES);
  const hidden = lines.length - shown.length;
  return (
    <Box paddingLeft={2} flexDirection="column">
      {hidden > 0 ? <Text dimColor>… {hidden} earlier lines (Ctrl+O shows all)</Text> : null}
      {shown.map((line, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** `ask_user`: the question and what the person answered, not the call's arguments. */
function AskItem({ item }: { item: Extract<Item, { kind: 'tool' }> }) {
  const answer = item.output.replace(/^The user answered:\n/, '');
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text>
        <Text color="yellow">? </Text>
        <Text bold>{item.summary}</Text>
      </Text>
      <Box paddingLeft={2}>
        <Text color={item.ok ? 'cyan' : 'red'}>
          {'→ '}
          {item.ok ? answer : `no answer (${firstLine(item.output, 60)})`}
        </Text>
      </Box>
    </Box>
  );
}
