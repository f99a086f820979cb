/**
 * `write`: create or replace a whole file. Exclusive, so two writes (or a
 * write and a shell command) never interleave on the same creature.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { countLines, describeFsError, errorCode, displayPath, plural, recordFileStamp, resolvePath, statIfExists } from './fs-util.js';

const input = z.object({
  path: z.string().min(1).describe('The file to write. Relative paths start at the working directory.'),
  content: z.string().describe('The complete new content of the file.'),
});

const DESCRIPTION = 'Create a file or replace its whole content; missing parent directories are created.';

const DOC = `Write \`content\` to \`path\`, replacing anything already there. Parent directories are created as needed.

- To change part of an existing file, use \`edit\`: it is cheaper and cannot lose the rest of the file.
- The content is written exactly as given (UTF-8): include the final newline if the file should end with one.`;

export const writeTool: ToolFactory = {
  name: 'write',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'write',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      input,
      async execute(args, ctx) {
        const absolute = resolvePath(ctx.cwd, args.path);
        const shown = displayPath(ctx.cwd, absolute);
        try {
          const before = await statIfExists(absolute);
          if (before?.isDirectory()) throw new ToolError(`${shown} is a directory; give a file path.`, { tool: 'write' });
          await mkdir(path.dirname(absolute), { recursive: true }).catch((error: unknown) => {
            // mkdir -p over an existing file says EEXIST (or ENOTDIR further down).
            const code = errorCode(error);
            if (code === 'EEXIST' || code === 'ENOTDIR') throw new ToolError(`a parent of ${shown} is a file, not a directory.`, { tool: 'write' });
            throw error;
          });
          await writeFile(absolute, args.content, 'utf8');
          recordFileStamp(ctx.session, absolute, await stat(absolute));
          const size = `${plural(countLines(args.content), 'line')}, ${plural(Buffer.byteLength(args.content, 'utf8'), 'byte')}`;
          return `${before ? 'Updated' : 'Created'} ${shown} (${size})`;
        } catch (error) {
          if (error instanceof ToolError) throw error;
          throw new ToolError(`could not write ${shown}: ${describeFsError(error, shown)}`, { tool: 'write', cause: error });
        }
      },
    }),
};
