/**
 * `edit`: exact search and replace in one file. Requiring a unique match
 * makes the model show enough context to say *which* occurrence it means,
 * and every refusal says how to fix the call.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import {
  closeMatch,
  describeFsError,
  displayPath,
  looksBinary,
  plural,
  recordFileStamp,
  resolvePath,
  statIfExists,
} from './fs-util.js';

const input = z.object({
  path: z.string().min(1).describe('The file to edit. Relative paths start at the working directory.'),
  old_string: z.string().min(1).describe('The exact text to replace, including whitespace and indentation.'),
  new_string: z.string().describe('The text to put in its place (may be empty, to delete).'),
  replace_all: z.boolean().default(false).describe('Replace every occurrence instead of requiring exactly one. Default: false.'),
});

const DESCRIPTION = 'Replace exact text in a file; old_string must occur exactly once unless replace_all is true.';

const DOC = `Replace \`old_string\` with \`new_string\` in the file at \`path\`.

- \`old_string\` must match the file exactly, whitespace and indentation included, and occur exactly once. If it occurs more often, add surrounding lines until it is unique, or set \`replace_all\` to change every occurrence (handy for renames).
- Copy text from \`read\` output without the line-number prefix (number and tab).
- Line endings are kept: in a CRLF file, write plain newlines in both strings.
- To create a file or rewrite all of it, use \`write\`.`;

/** How many match lines an error lists before it stops. */
const LISTED_MATCHES = 20;

export const editTool: ToolFactory = {
  name: 'edit',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'edit',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      input,
      async execute(args, ctx) {
        const absolute = resolvePath(ctx.cwd, args.path);
        const shown = displayPath(ctx.cwd, absolute);
        if (args.old_string === args.new_string) fail('old_string and new_string are the same; there is nothing to change.');

        const stats = await statIfExists(absolute).catch((error: unknown) => fail(describeFsError(error, shown)));
        if (!stats) {
          const near = await closeMatch(absolute);
          fail(`file not found: ${shown}.${near ? ` Did you mean ${displayPath(ctx.cwd, near)}?` : ''} Use write to create a new file.`);
        }
        if (stats.isDirectory()) fail(`${shown} is a directory, not a file.`);
        const bytes = await readFile(absolute).catch((error: unknown) => fail(describeFsError(error, shown)));
        if (looksBinary(bytes)) fail(`${shown} looks like a binary file (it contains NUL bytes); edit only changes text files.`);

        const raw = bytes.toString('utf8');
        // A CRLF file is edited as if it had plain newlines, then converted back,
        // so strings copied from read (which shows no \r) still match.
        const crlf = usesCRLF(raw);
        const text = crlf ? raw.replaceAll('\r\n', '\n') : raw;
        const oldString = crlf ? args.old_string.replaceAll('\r\n', '\n') : args.old_string;
        const newString = crlf ? args.new_string.replaceAll('\r\n', '\n') : args.new_string;

        const found = occurrences(text, oldString);
        if (found.length === 0) fail(notFoundMessage(text, oldString, shown));
        if (found.length > 1 && !args.replace_all) {
          const lines = listLines(lineNumbers(text, found));
          fail(
            `old_string occurs ${found.length} times in ${shown} (at lines ${lines}). ` +
              'Include more surrounding lines to make it unique, or set replace_all to true to change every occurrence.',
          );
        }

        const targets = args.replace_all ? found : found.slice(0, 1);
        const edited = replaceAt(text, targets, oldString.length, newString);
        await writeFile(absolute, crlf ? edited.replaceAll('\n', '\r\n') : edited, 'utf8').catch((error: unknown) =>
          fail(`could not write ${shown}: ${describeFsError(error, shown)}`),
        );
        recordFileStamp(ctx.session, absolute, await stat(absolute));

        // Where the new text sits in the edited file.
        const delta = newString.length - oldString.length;
        const starts = targets.map((index, i) => index + i * delta);
        const startLines = lineNumbers(edited, starts);
        if (targets.length > 1) {
          return `Edited ${shown}: replaced ${targets.length} occurrences (at lines ${listLines(startLines)}).`;
        }
        const first = startLines[0] ?? 1;
        const span = newlinesIn(newString.endsWith('\n') ? newString.slice(0, -1) : newString);
        const where = newString === '' ? `removed text at line ${first}` : span === 0 ? `line ${first}` : `lines ${first}-${first + span}`;
        return `Edited ${shown}: replaced 1 occurrence (${where}).`;
      },
    }),
};

function fail(message: string): never {
  throw new ToolError(message, { tool: 'edit' });
}

/** True when every newline in the file is part of a CRLF pair. Mixed files are edited byte for byte. */
function usesCRLF(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  return crlf > 0 && crlf === text.split('\n').length - 1;
}

/** Start indexes of the non-overlapping occurrences of `needle`. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

function replaceAt(text: string, starts: number[], length: number, replacement: string): string {
  let out = '';
  let last = 0;
  for (const start of starts) {
    out += text.slice(last, start) + replacement;
    last = start + length;
  }
  return out + text.slice(last);
}

/** 1-based line numbers of ascending indexes, in one pass. */
function lineNumbers(text: string, indexes: number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let position = 0;
  for (const index of indexes) {
    line += newlinesIn(text.slice(position, index));
    position = index;
    lines.push(line);
  }
  return lines;
}

function newlinesIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, LISTED_MATCHES).join(', ');
  return lines.length > LISTED_MATCHES ? `${shown}, …` : shown;
}

/** Why old_string did not match, as far as cheap checks can tell. */
function notFoundMessage(text: string, oldString: string, shown: string): string {
  let message = `old_string was not found in ${shown}.`;
  if (/^\s*\d+\t/m.test(oldString)) {
    message += ' It seems to include line-number prefixes from read output; leave those out.';
  } else if (collapseWhitespace(text).includes(collapseWhitespace(oldString))) {
    message += ' It does match when whitespace is ignored: copy the indentation, tabs or spaces, and line breaks exactly as the file has them.';
  } else {
    message += ' Read the file again to see its current content.';
  }
  return message;
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
