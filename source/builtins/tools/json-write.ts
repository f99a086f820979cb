/**
 * `json_write`: write a JSON file from JSON text, checked before anything
 * touches the disk, so a stray comma never leaves a broken config behind.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { countLines, describeFsError, errorCode, plural, recordFileStamp, staleReadRefusal, statIfExists } from './fs-util.js';
import { parseJson, reindentJson } from './json-util.js';
import { locate } from './path-guard.js';

const input = builtinInput('json-write', () =>
  z.object({
  path: z.string().min(1).describe('The JSON file to write. Relative paths start at the working directory.'),
  content: z.string().describe('The complete JSON document, as text.'),
  raw: z.boolean().default(false).describe('Write content exactly as given instead of re-indenting it with 2 spaces. Default: false.'),
}));

const DESCRIPTION = 'Write a JSON file from JSON text, validated first and pretty-printed with 2 spaces unless raw is true.';

const DOC = `Write the JSON document \`content\` to \`path\`, replacing the file. Missing parent directories are created.

- \`content\` is JSON text. It is checked first: if it is not valid JSON, nothing is written and the error gives the line and column.
- It is written re-indented with 2 spaces and a final newline; numbers, strings, escapes and key order stay exactly as given. With \`raw: true\` the text is written unchanged.
- An existing file must have been read (with \`read\` or \`json_read\`) and not changed since; otherwise the write is refused. New files need no read.
- To change one value in a big file, \`edit\` is cheaper than sending the whole document.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const jsonWriteTool: ToolFactory = {
  name: 'json_write',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'json_write',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'edit',
      input,
      async execute(args, ctx) {
        const { absolute, shown } = await locate(ctx, args.path, 'json_write');
        if (args.content.trim() === '') fail('content is empty; give a JSON document (for example {} or []).');
        const parsed = parseJson(args.content);
        if (!parsed.ok) fail(`content is not valid JSON, so nothing was written: ${parsed.error}`);
        const text = args.raw ? args.content : `${reindentJson(args.content, 2)}\n`;

        try {
          const before = await statIfExists(absolute);
          if (before?.isDirectory()) fail(`${shown} is a directory; give a file path.`);
          if (before && !before.isFile()) fail(`${shown} is not a regular file.`);
          if (before) {
            const refusal = staleReadRefusal(ctx.session, absolute, before, shown, 'read or json_read');
            if (refusal) fail(refusal);
          }
          await mkdir(path.dirname(absolute), { recursive: true }).catch((error: unknown) => {
            const code = errorCode(error);
            if (code === 'EEXIST' || code === 'ENOTDIR') fail(`a parent of ${shown} is a file, not a directory.`);
            throw error;
          });
          await writeFile(absolute, text, 'utf8');
          recordFileStamp(ctx.session, absolute, await stat(absolute));
          const size = `${plural(countLines(text), 'line')}, ${plural(Buffer.byteLength(text, 'utf8'), 'byte')}`;
          return `${before ? 'Updated' : 'Created'} ${shown} (${size})`;
        } catch (error) {
          if (error instanceof ToolError) throw error;
          fail(`could not write ${shown}: ${describeFsError(error, shown)}`);
        }
      },
    }),
};

function fail(message: string): never {
  throw new ToolError(message, { tool: 'json_write' });
}
