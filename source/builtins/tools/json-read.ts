/**
 * `json_read`: a JSON file, or the part of it a JMESPath query selects,
 * pretty-printed. Big documents are cut with a note that says how to narrow
 * them down, since a query is nearly always the better way in.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { describeFsError, plural, recordFileStamp } from './fs-util.js';
import { parseJson, reindentJson } from './json-util.js';
import { locateFile } from './path-guard.js';

/** Larger files are data dumps: grep or jq in bash suit them better. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Output beyond this is cut. */
const MAX_OUTPUT_CHARS = 40_000;
// Not toLocaleString: that loads ICU's number data (~6 MB resident) at every start, for one comma.
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const input = builtinInput('json-read', () =>
  z.object({
  path: z.string().min(1).describe('The JSON file to read. Relative paths start at the working directory.'),
  query: z
    .string()
    .min(1)
    .optional()
    .describe('JMESPath expression selecting part of the document, e.g. "dependencies", "items[?price > `10`].name" or "keys(@)".'),
}));

const DESCRIPTION = 'Read a JSON file pretty-printed, or only the part a JMESPath query selects.';

const DOC = `Read the JSON file at \`path\` and return it pretty-printed (2-space indentation).

- \`query\` is a JMESPath expression applied to the document; only its result is returned. Examples: \`name\`, \`scripts.build\`, \`items[0]\`, \`items[-1]\`, \`items[0:5]\`, \`items[*].id\`, \`items[?status == 'open'].title\`, \`length(items)\`, \`keys(@)\`. Quote keys with odd characters: \`"my-key".value\`; literal numbers go in backticks: \`\`items[?size > \`10\`]\`\`.
- A query that matches nothing returns null.
- Output over ${thousands(MAX_OUTPUT_CHARS)} characters is cut, with a note; use a query to pick the part you need.
- Invalid JSON is reported with its line and column; files over ${MAX_FILE_BYTES / 1024 / 1024} MB are refused.
- Reading the whole file this way allows \`json_write\` to replace it afterwards.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const jsonReadTool: ToolFactory = {
  name: 'json_read',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'json_read',
      description: DESCRIPTION,
      doc: DOC,
      input,
      async execute(args, ctx) {
        const { absolute, shown, stats } = await locateFile(ctx, args.path, 'json_read');
        if (stats.size > MAX_FILE_BYTES) {
          fail(`${shown} is ${(stats.size / 1024 / 1024).toFixed(1)} MB; json_read reads files up to ${MAX_FILE_BYTES / 1024 / 1024} MB. Use grep, or jq through bash.`);
        }
        const text = await readFile(absolute, 'utf8').catch((error: unknown) => fail(describeFsError(error, shown)));
        if (text.trim() === '') fail(`${shown} is empty; it holds no JSON value.`);
        const parsed = parseJson(text);
        if (!parsed.ok) fail(`${shown} is not valid JSON: ${parsed.error}`);
        recordFileStamp(ctx.session, absolute, stats);

        if (args.query === undefined) {
          return cut(reindentJson(text, 2), `${shown} (${describeShape(parsed.value)})`);
        }
        const { search } = await import('@jmespath-community/jmespath');
        let selected: unknown;
        try {
          selected = search(parsed.value as Parameters<typeof search>[0], args.query);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          fail(`invalid JMESPath query ${JSON.stringify(args.query)}: ${reason}. Examples: "a.b", "items[0]", "items[*].name", "items[?id == \`3\`]", "keys(@)".`);
        }
        if (selected === null) return `null (the query ${JSON.stringify(args.query)} matched nothing in ${shown}; try "keys(@)" to see the top-level keys)`;
        return cut(JSON.stringify(selected, null, 2), `the result (${describeShape(selected)})`);
      },
    }),
};

function fail(message: string): never {
  throw new ToolError(message, { tool: 'json_read' });
}

/** Cut long output at a line end, saying how much there was and how to see less. */
function cut(text: string, what: string): string {
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  let end = text.lastIndexOf('\n', MAX_OUTPUT_CHARS);
  if (end <= 0) end = MAX_OUTPUT_CHARS;
  const shownLines = text.slice(0, end).split('\n').length;
  const totalLines = text.split('\n').length;
  return (
    `${text.slice(0, end)}\n\n[Output cut: showing ${shownLines} of ${plural(totalLines, 'line')} of ${what}. ` +
    'Use query to select a part, e.g. "keys(@)", "items[0:10]" or "items[*].name".]'
  );
}

/** "object with 12 keys", "array of 40 items", … */
function describeShape(value: unknown): string {
  if (Array.isArray(value)) return `array of ${plural(value.length, 'item')}`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const listed = keys.slice(0, 20).join(', ') + (keys.length > 20 ? ', …' : '');
    return `object with ${plural(keys.length, 'key')}${keys.length > 0 ? `: ${listed}` : ''}`;
  }
  return value === null ? 'null' : typeof value;
}
