/**
 * The system prompt's `## Named outputs` section: which named outputs the
 * creature has and how the model writes to them. Built from the config
 * alone, names sorted, so the prompt stays the same bytes on every build.
 */
import { OUTPUT_PREFIX } from './named-blocks.js';

/** `names` maps each named output to its type (`file`, `webhook`). Empty when there are none. */
export function namedOutputsSection(names: Readonly<Record<string, string>>): string {
  const entries = Object.entries(names).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.length) return '';
  const [first] = entries[0] as [string, string];
  return [
    '## Named outputs',
    '',
    'Besides answering, you can send text to these outputs. Put it in a block named after the output;',
    'when your turn ends the block goes to that output and is left out of the answer the user sees.',
    '',
    ...entries.map(([name, kind]) => `- \`${OUTPUT_PREFIX}${name}\` (${kind})`),
    '',
    'Example:',
    '',
    `[/${OUTPUT_PREFIX}${first}]`,
    'the text for this output',
    `[${OUTPUT_PREFIX}${first}/]`,
    '',
    'A block ends at its first closing tag; blocks do not nest. Write only to the outputs listed.',
  ].join('\n');
}
