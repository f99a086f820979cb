/**
 * `edit`: exact search and replace in one file, or a unified diff applied to
 * it. Requiring a unique match makes the model show enough context to say
 * *which* occurrence it means, and every refusal says how to fix the call.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolResultObject } from '../../engine/tools/tool.js';
import { plural } from './fs-util.js';
import { changeDiff, describeReplacement, loadEditable, normalizeNewlines, replaceExact, saveEdited, type EditableFile } from './text-edit.js';
import { applyUnifiedDiff } from './unified-diff.js';

const input = builtinInput('edit', () => z
  .object({
    path: z.string().min(1).describe('The file to edit. Relative paths start at the working directory.'),
    old_string: z.string().min(1).optional().describe('The exact text to replace, including whitespace and indentation.'),
    new_string: z.string().optional().describe('The text to put in its place (may be empty, to delete).'),
    replace_all: z.boolean().default(false).describe('Replace every occurrence instead of requiring exactly one. Default: false.'),
    diff: z
      .string()
      .min(1)
      .optional()
      .describe('Instead of old_string/new_string: a unified diff of this one file ("@@ -a,b +c,d @@" hunks with " ", "-" and "+" lines).'),
  })
  .superRefine((args, issues) => {
    if (args.diff !== undefined) {
      if (args.old_string !== undefined || args.new_string !== undefined) {
        issues.addIssue({ code: 'custom', message: 'give either diff, or old_string and new_string, not both' });
      }
    } else if (args.old_string === undefined || args.new_string === undefined) {
      issues.addIssue({ code: 'custom', message: 'give old_string and new_string (or a unified diff in diff)' });
    }
  }));

const DESCRIPTION = 'Replace exact text in a file (old_string must occur once unless replace_all), or apply a unified diff to it.';

const DOC = `Change the file at \`path\` in one of two ways.

Search and replace (\`old_string\`, \`new_string\`, \`replace_all\`):
- \`old_string\` must match the file exactly, whitespace and indentation included, and occur exactly once. If it occurs more often, add surrounding lines until it is unique, or set \`replace_all\` to change every occurrence (handy for renames).
- Copy text from \`read\` output without the line-number prefix (number and tab).

Unified diff (\`diff\`, alone):
- The hunks of one file as \`diff -u\` or \`git diff\` print them: a header \`@@ -start,count +start,count @@\`, then lines starting with a space (unchanged), \`-\` (removed) or \`+\` (added). File headers (\`---\`/\`+++\`) are optional and their names are not checked.
- The counts in the headers are recomputed from the lines, and the start lines only say where to begin looking: a hunk applies wherever its unchanged and removed lines match the file exactly, in order. Give two or three unchanged lines around each change.
- If any hunk does not apply, nothing is changed, and the refusal names the hunk and the lines it expected.

Both ways:
- The file must have been read (with \`read\`) and not changed since; otherwise the edit is refused. Binary files are refused.
- Line endings are kept: in a CRLF file, write plain newlines.
- For several replacements in one file, \`multi_edit\` applies them together. To create a file or rewrite all of it, use \`write\`.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const editTool: ToolFactory = {
  name: 'edit',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'edit',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'edit',
      input,
      async execute(args, ctx) {
        if (args.old_string !== undefined && args.old_string === args.new_string) {
          fail('old_string and new_string are the same; there is nothing to change.');
        }
        const file = await loadEditable(ctx, args.path, 'edit');

        if (args.diff !== undefined) {
          const applied = await applyUnifiedDiff(file.text, args.diff, file.shown);
          if (!applied.ok) fail(applied.error);
          if (applied.text === file.text) return `The diff leaves ${file.shown} unchanged; nothing was written.`;
          await saveEdited(ctx, file, applied.text, 'edit');
          return await withDiff(`Edited ${file.shown}: applied ${plural(applied.hunks, 'hunk')} (+${applied.added} -${applied.removed} lines).`, file, applied.text);
        }

        const oldString = normalizeNewlines(args.old_string ?? '', file.crlf);
        const newString = normalizeNewlines(args.new_string ?? '', file.crlf);
        const replaced = replaceExact(file.text, oldString, newString, args.replace_all, file.shown);
        if (!replaced.ok) fail(replaced.error);
        await saveEdited(ctx, file, replaced.text, 'edit');
        return await withDiff(`Edited ${file.shown}: ${describeReplacement(newString, replaced.lines)}.`, file, replaced.text);
      },
    }),
};

async function withDiff(output: string, file: EditableFile, after: string): Promise<ToolResultObject> {
  const diff = await changeDiff(file.shown, file.text, after);
  return diff ? { output, metadata: { diff } } : { output };
}

function fail(message: string): never {
  throw new ToolError(message, { tool: 'edit' });
}
