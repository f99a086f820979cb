/**
 * `write`: create or replace a whole file. Exclusive, so two writes (or a
 * write and a shell command) never interleave on the same creature.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { countLines, describeFsError, errorCode, plural, recordFileStamp, staleReadRefusal, statIfExists } from './fs-util.js';
import { locate } from './path-guard.js';
import { changeDiff } from './text-edit.js';

/** Files up to this size get a diff in the result's metadata. */
const MAX_DIFF_SOURCE_BYTES = 512 * 1024;

const input = builtinInput('write', () => z.object({
  path: z.string().min(1).describe('The file to write. Relative paths start at the working directory.'),
  content: z.string().describe('The complete new content of the file.'),
}));

const DESCRIPTION = 'Create a file or replace its whole content; missing parent directories are created.';

const DOC = `Write \`content\` to \`path\`, replacing anything already there. Parent directories are created as needed.

- An existing file must have been read first (with \`read\`), and must not have changed since; otherwise the write is refused, so nobody's changes are lost unseen. New files need no read.
- To change part of an existing file, use \`edit\`: it is cheaper and cannot lose the rest of the file.
- The content is written exactly as given (UTF-8): include the final newline if the file should end with one.
- Paths outside the working directory are refused unless they are in the creature's allowed paths (\`allowed_paths\`, \`kt run --add-dir\`).`;

export const writeTool: ToolFactory = {
  name: 'write',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'write',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'edit',
      input,
      async execute(args, ctx) {
        const { absolute, shown } = await locate(ctx, args.path, 'write');
        try {
          const before = await statIfExists(absolute);
          if (before?.isDirectory()) throw new ToolError(`${shown} is a directory; give a file path.`, { tool: 'write' });
          if (before && !before.isFile()) throw new ToolError(`${shown} is not a regular file.`, { tool: 'write' });
          if (before) {
            const refusal = staleReadRefusal(ctx.session, absolute, before, shown);
            if (refusal) throw new ToolError(refusal, { tool: 'write' });
          }
          await mkdir(path.dirname(absolute), { recursive: true }).catch((error: unknown) => {
            // mkdir -p over an existing file says EEXIST (or ENOTDIR further down).
            const code = errorCode(error);
            if (code === 'EEXIST' || code === 'ENOTDIR') throw new ToolError(`a parent of ${shown} is a file, not a directory.`, { tool: 'write' });
            throw error;
          });
          // The old text, for the diff the UI shows; skipped for big files (the summary says enough).
          const previous = before && before.size <= MAX_DIFF_SOURCE_BYTES ? await readFile(absolute, 'utf8').catch(() => undefined) : before ? undefined : '';
          await writeFile(absolute, args.content, 'utf8');
          recordFileStamp(ctx.session, absolute, await stat(absolute));
          const size = `${plural(countLines(args.content), 'line')}, ${plural(Buffer.byteLength(args.content, 'utf8'), 'byte')}`;
          const output = `${before ? 'Updated' : 'Created'} ${shown} (${size})`;
          const diff = previous === undefined ? undefined : await changeDiff(shown, previous, args.content);
          return diff ? { output, metadata: { diff } } : output;
        } catch (error) {
          if (error instanceof ToolError) throw error;
          throw new ToolError(`could not write ${shown}: ${describeFsError(error, shown)}`, { tool: 'write', cause: error });
        }
      },
    }),
};
