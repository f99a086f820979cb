/**
 * Named output blocks in a final answer: `[/output_notes]...[output_notes/]`
 * (the original's syntax). The text-call parser of `engine/parsing` already
 * reads exactly this bracket form, character by character and with its
 * documented rules (no nesting, the first exact close ends a block, a block
 * left open is text), so the blocks are found with it rather than with a
 * pattern of our own. A block's text is its body as written, so lines that
 * look like `@@key=value` arguments stay part of what the output receives.
 */
import { trimLeadingNewline, trimTrailingNewline } from '../parsing/body.js';
import { BRACKET_FORMAT, closeTag, openTag } from '../parsing/format.js';
import { parseToolCalls } from '../parsing/parser.js';

export const OUTPUT_PREFIX = 'output_';

export interface NamedBlock {
  /** The output's name (`notes` for `[/output_notes]`). */
  name: string;
  text: string;
}

export interface SplitAnswer {
  /** The answer with every block removed (what the main output gets). */
  main: string;
  blocks: NamedBlock[];
}

/** Split an answer into the text for the main output and the named blocks, in order. */
export function splitNamedBlocks(answer: string): SplitAnswer {
  if (!answer.includes(`[/${OUTPUT_PREFIX}`)) return { main: answer, blocks: [] };
  const events = parseToolCalls(answer, { format: BRACKET_FORMAT, known: (name) => name.startsWith(OUTPUT_PREFIX) && name.length > OUTPUT_PREFIX.length });
  let main = '';
  const blocks: NamedBlock[] = [];
  for (const event of events) {
    if (event.type === 'text') {
      main += event.text;
      continue;
    }
    const body = event.raw.slice(openTag(BRACKET_FORMAT, event.name).length, event.raw.length - closeTag(BRACKET_FORMAT, event.name).length);
    blocks.push({ name: event.name.slice(OUTPUT_PREFIX.length), text: trimTrailingNewline(trimLeadingNewline(body)) });
  }
  return { main: blocks.length ? tidyGaps(main) : main, blocks };
}

/** Where a block stood alone between paragraphs, leave one blank line rather than a hole of several. */
function tidyGaps(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
