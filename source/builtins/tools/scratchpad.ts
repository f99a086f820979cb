/**
 * `scratchpad`: short named notes the creature keeps across turns (a plan,
 * findings, a path it needs later). The notes are the creature's scratchpad
 * map (`scratchpadOf`), which the session file saves and resume restores.
 */
import { z } from 'zod';
import { scratchpadOf } from '../../engine/creature/scratchpad.js';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { didYouMean } from '../../engine/util/close-match.js';

/** Characters (code points) in a key. */
export const MAX_KEY_CHARS = 200;
/** UTF-8 bytes in a value. */
export const MAX_VALUE_BYTES = 16 * 1024;
/** Characters of each value shown by `list`. */
const PREVIEW_CHARS = 80;

const input = builtinInput('scratchpad', () => z.object({
  action: z.enum(['get', 'set', 'delete', 'list']).describe('"set" stores a note, "get" reads one, "delete" removes one, "list" shows every key.'),
  key: z.string().optional().describe('The note\'s name. Needed by get, set and delete.'),
  value: z.string().optional().describe('The text to store. Needed by set; replaces any earlier note of the same key.'),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Keep short named notes across turns: set, get, delete or list keys.';

const DOC = `A small key-value notebook that stays with you for the whole session (and across resume): use it for a plan, intermediate findings, or values you will need later, instead of relying on the conversation.

- \`action: "set"\` with \`key\` and \`value\`: store the note (replacing one with the same key).
- \`action: "get"\` with \`key\`: return the note's text exactly as stored.
- \`action: "delete"\` with \`key\`: remove the note.
- \`action: "list"\`: every key with the start of its note.

Values are text; store structured data as JSON text. Keys are at most ${MAX_KEY_CHARS} characters on one line; a value is at most ${MAX_VALUE_BYTES / 1024} KB.`;

const TOOL = 'scratchpad';

export const scratchpadTool: ToolFactory = {
  name: 'scratchpad',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'scratchpad',
      description: DESCRIPTION,
      doc: DOC,
      input,
      execute: (args, ctx) => runScratchpad(args, ctx),
    }),
};

function runScratchpad(args: Args, ctx: ToolContext): string {
  const pad = scratchpadOf(ctx.session);
  if (args.action === 'list') return list(pad);

  const key = checkKey(args.key, args.action);
  switch (args.action) {
    case 'get': {
      const value = pad.get(key);
      if (value === undefined) throw new ToolError(`no note named "${key}"${missingHint(key, pad)}`, { tool: TOOL });
      return value;
    }
    case 'set': {
      if (args.value === undefined) throw new ToolError('set needs a value (the text to store under the key)', { tool: TOOL });
      const bytes = Buffer.byteLength(args.value, 'utf8');
      if (bytes > MAX_VALUE_BYTES) {
        throw new ToolError(
          `the value is ${bytes} bytes; a note holds at most ${MAX_VALUE_BYTES} bytes (${MAX_VALUE_BYTES / 1024} KB). Shorten it, or split it over several keys.`,
          { tool: TOOL },
        );
      }
      const replaced = pad.has(key);
      pad.set(key, args.value);
      return `${replaced ? 'Replaced' : 'Saved'} note "${key}" (${[...args.value].length} characters).`;
    }
    case 'delete': {
      if (!pad.delete(key)) return `There is no note named "${key}"; nothing was deleted.${missingHint(key, pad)}`;
      return `Deleted note "${key}".`;
    }
  }
}

function checkKey(key: string | undefined, action: string): string {
  if (key === undefined || key.trim() === '') throw new ToolError(`${action} needs a key (the note's name)`, { tool: TOOL });
  const length = [...key].length;
  if (length > MAX_KEY_CHARS) throw new ToolError(`the key is ${length} characters; keys are at most ${MAX_KEY_CHARS}`, { tool: TOOL });
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new ToolError('keys are one line of text: no newlines, tabs or other control characters', { tool: TOOL });
  return key;
}

function missingHint(key: string, pad: Map<string, string>): string {
  if (pad.size === 0) return ' (the scratchpad is empty)';
  return didYouMean(key, pad.keys()) || ` (keys: ${[...pad.keys()].slice(0, 20).join(', ')}${pad.size > 20 ? ', …' : ''})`;
}

function list(pad: Map<string, string>): string {
  if (pad.size === 0) return 'The scratchpad is empty.';
  const lines = [...pad].map(([key, value]) => {
    const flat = value.replace(/\s+/g, ' ').trim();
    const chars = [...flat];
    const preview = chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('').trimEnd()}…` : flat;
    return `- ${key}: ${preview} (${[...value].length} chars)`;
  });
  return `${pad.size} ${pad.size === 1 ? 'note' : 'notes'}:\n${lines.join('\n')}`;
}
