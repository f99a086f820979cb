/**
 * "May the creature do this?": an edit or a command waiting for the
 * person's answer, drawn in place of the prompt box. The choices are yes;
 * yes and don't ask again for a narrow rule (`bash(git status:*)`, saved in
 * the project's .kt/settings.json); and no, with a field for what the
 * creature should do instead.
 */
import { Box, Text } from 'ink';
import type { ApprovalRequest } from '../../index.js';
import { summarizeArgs } from '../format.js';
import { Composer } from './composer.js';
import { APPROVAL_LETTERS, approvalLabels, approvalOptions } from '../../builtins/permissions/approval-choices.js';
import type { ApprovalChoice } from './dialog-keys.js';

/** Lines of a command or edit shown before "…". */
const SHOWN_LINES = 12;

export interface ApprovalDialogProps {
  request: ApprovalRequest;
  width: number;
  /** The rules "don't ask again" would save (from `suggestRules`); none hides that choice. */
  rules: readonly string[];
  choice: ApprovalChoice;
}

export function ApprovalDialog({ request, width, rules, choice }: ApprovalDialogProps) {
  const options = approvalOptions(rules);
  const label = approvalLabels(rules);
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
      <Box flexDirection="column" marginTop={1}>
        {options.map((option, i) => {
          const on = i === choice.selected;
          return (
            <Text key={option} wrap="truncate-end">
              <Text color={on ? 'cyan' : undefined}>{on ? '❯' : ' '} {i + 1}. </Text>
              <Text bold={on}>{label[option]}</Text>
              <Text dimColor> ({APPROVAL_LETTERS[option]})</Text>
            </Text>
          );
        })}
        <Text dimColor>Esc: no</Text>
      </Box>
      {choice.instead ? <Composer buffer={choice.instead} prompt="instead" placeholder="what should it do? Enter sends · Esc back" width={Math.max(20, width - 4)} /> : null}
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
