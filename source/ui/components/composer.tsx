/**
 * The prompt box: the text buffer drawn with its cursor, a hint when empty,
 * and whatever sits right under it (completions, the search line).
 */
import { Box, Text } from 'ink';
import type { TextBuffer } from '../input/index.js';
import { TAB_WIDTH } from '../input/index.js';

export interface ComposerProps {
  buffer: TextBuffer;
  /** A label before the first line: `›` normally, a question mark in a dialog. */
  prompt?: string;
  placeholder?: string;
  /** Dim the box while a turn runs (typing still works: lines queue). */
  busy?: boolean;
  width: number;
}

export function Composer({ buffer, prompt = '›', placeholder = '', busy = false, width }: ComposerProps) {
  const empty = buffer.lines.length === 1 && buffer.lines[0] === '';
  return (
    <Box borderStyle="round" borderColor={busy ? 'gray' : 'cyan'} flexDirection="column" paddingX={1} width={width}>
      {empty ? (
        <Text wrap="truncate-end">
          <Text color="cyan">{prompt} </Text>
          <Text inverse> </Text>
          <Text dimColor>{placeholder}</Text>
        </Text>
      ) : (
        buffer.lines.map((line, row) => (
          <Text key={row}>
            <Text color="cyan">{row === 0 ? `${prompt} ` : '  '}</Text>
            {row === buffer.row ? <CursorLine line={line} col={buffer.col} /> : expandTabs(line)}
          </Text>
        ))
      )}
    </Box>
  );
}

function CursorLine({ line, col }: { line: string; col: number }) {
  // The character under the cursor is one grapheme (an emoji, a CJK character), not one UTF-16 unit.
  const rest = line.slice(col);
  const under = rest ? [...new Intl.Segmenter().segment(rest)][0]!.segment : ' ';
  return (
    <>
      {expandTabs(line.slice(0, col))}
      <Text inverse>{under === '\t' ? ' '.repeat(TAB_WIDTH) : under}</Text>
      {expandTabs(rest.slice(under.length))}
    </>
  );
}

const expandTabs = (text: string) => text.replaceAll('\t', ' '.repeat(TAB_WIDTH));
