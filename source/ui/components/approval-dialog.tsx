/**
 * "May the creature do this?": an edit or a command waiting for the
 * person's answer, drawn in place of the prompt box.
 */
import { Box, Text } from 'ink';
import type { ApprovalRequest } from '../../index.js';
import { summarizeArgs } from '../format.js';

/** Lines of a command or edit shown before "…". */
const SHOWN_LINES = 12;

export function ApprovalDialog({ request, width }: { request: ApprovalRequest; width: number }) {
  const detail = describe(request);
  const lines = detail.split('\n');
  const who = request.agentPath.length > 0 ? request.agentPath.join(' › ') : 'the creature';
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width} marginTop={1}>
      <Text>
        <Text color="yellow" bold>
          {request.effect === 'execute' ? 'Run this command?' : 'Make this change?'}
        </Text>
        <Text dimColor>
          {' '}
          {who} wants to use {request.tool}
        </Text>
      </Text>
      <Box flexDirection="column" paddingLeft={2}>
        {lines.slice(0, SHOWN_LINES).map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line}
          </Text>
        ))}
        {lines.length > SHOWN_LINES ? <Text dimColor>… {lines.length - SHOWN_LINES} more lines</Text> : null}
      </Box>
      <Text>
        <Text color="green">y</Text> yes · <Text color="cyan">a</Text> yes, and don’t ask again for {request.tool} · <Text color="red">n</Text> no (Esc)
      </Text>
    </Box>
  );
}

function describe(request: ApprovalRequest): string {
  const args = (request.args ?? {}) as Record<string, unknown>;
  if (typeof args.command === 'string') return `$ ${args.command}`;
  const path = typeof args.path === 'string' ? args.path : summarizeArgs(args);
  if (typeof args.old_string === 'string' && typeof args.new_string === 'string') {
    return [path, ...args.old_string.split('\n').map((l) => `- ${l}`), ...args.new_string.split('\n').map((l) => `+ ${l}`)].join('\n');
  }
  if (typeof args.diff === 'string') return `${path}\n${args.diff}`;
  if (typeof args.content === 'string') return `${path} (${args.content.split('\n').length} lines)`;
  return path;
}
