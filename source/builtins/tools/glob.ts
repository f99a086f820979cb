/**
 * `glob`: find files by name pattern, newest first, so the files being worked
 * on come before the ones nobody touched in years.
 */
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { describeFsError, plural, statIfExists } from './fs-util.js';
import { locate, notFound } from './path-guard.js';
import { findFiles } from './walk.js';

/** More paths than this help nobody; the model should narrow the pattern instead. */
const MAX_RESULTS = 1000;

const input = builtinInput('glob', () => z.object({
  pattern: z.string().min(1).describe('Glob pattern, relative to the search directory, e.g. "**/*.ts" or "src/**/index.{js,ts}".'),
  path: z.string().min(1).optional().describe('Directory to search. Default: the working directory.'),
  gitignore: z.boolean().default(true).describe('Skip files ignored by .gitignore. Default: true.'),
}));

const DESCRIPTION = 'Find files whose paths match a glob pattern, most recently modified first; .gitignore is respected.';

const DOC = `List the files under \`path\` (default: the working directory) whose relative path matches \`pattern\`.

- \`*\` matches within one path segment and \`**\` across any number, so \`*.ts\` finds only top-level files while \`**/*.ts\` searches every folder. \`{a,b}\` and \`[abc]\` work as in a shell.
- Files ignored by .gitignore are skipped unless \`gitignore\` is false; the .git folder always is. Dotfiles are included; symbolic links are not followed.
- Paths come back relative to the searched directory, most recently modified first, at most ${MAX_RESULTS}.
- To search inside files, use \`grep\`; for an overview of a folder, \`tree\`.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const globTool: ToolFactory = {
  name: 'glob',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'glob',
      description: DESCRIPTION,
      doc: DOC,
      input,
      async execute(args, ctx) {
        const { absolute: root, shown } = await locate(ctx, args.path ?? '.', 'glob');
        const stats = await statIfExists(root).catch((error: unknown) => {
          throw new ToolError(describeFsError(error, shown), { tool: 'glob' });
        });
        if (!stats) throw new ToolError(await notFound(ctx, 'directory', root, shown), { tool: 'glob' });
        if (!stats.isDirectory()) throw new ToolError(`${shown} is a file, not a directory; use read to see it.`, { tool: 'glob' });
        if (path.isAbsolute(args.pattern)) {
          throw new ToolError('pattern must be relative to the search directory; put the directory in path instead.', { tool: 'glob' });
        }

        const files = await findFiles(root, args.pattern, ctx.signal, { gitignore: args.gitignore });
        const where = root === ctx.cwd ? '' : ` in ${shown}`;
        if (files.length === 0) return `No files match "${args.pattern}"${where}.`;

        files.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        const listed = files.slice(0, MAX_RESULTS).map((file) => file.path);
        // Paths are relative to the search root; say so when that is not the working directory.
        const header = where ? `Paths relative to ${shown}:\n` : '';
        const note =
          files.length > MAX_RESULTS
            ? `\n\n[Showing the ${MAX_RESULTS} most recently modified of ${plural(files.length, 'match', 'matches')}; narrow the pattern or path to see the rest.]`
            : '';
        return `${header}${listed.join('\n')}${note}`;
      },
    }),
};
