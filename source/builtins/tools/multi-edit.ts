/**
 * `multi_edit`: several exact replacements in one file, in order, written
 * once. By default all of them apply or none does, so a half-done refactor
 * never lands on disk.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { plural } from './fs-util.js';
import { loadEditable, normalizeNewlines, replaceExact, saveEdited, changeDiff } from './text-edit.js';

const edit = () => z.object({
  old_string: z.string().min(1).describe('The exact text to replace, as the file reads after the edits before this one.'),
  new_string: z.string().describe('The text to put in its place (may be empty, to delete).'),
  replace_all: z.boolean().default(false).describe('Replace every occurrence instead of requiring exactly one. Default: false.'),
});

const input = builtinInput('multi-edit', () =>
  z.object({
  path: z.string().min(1).describe('The file to edit. Relative paths start at the working directory.'),
  edits: z.array(edit()).min(1).describe('The replacements, applied in order; each sees the result of the ones before it.'),
  strict: z.boolean().default(true).describe('All edits apply or none does (default true). false behaves like best_effort.'),
  best_effort: z.boolean().default(false).describe('Apply the edits that can be applied and report the others. Default: false.'),
}));

const DESCRIPTION = 'Apply several exact replacements to one file in order; by default all apply or none does.';

const DOC = `Apply \`edits\` (each \`{old_string, new_string, replace_all?}\`) to the file at \`path\`, in order, and write the file once.

- Each edit follows \`edit\`'s rules: \`old_string\` must match exactly and occur once, unless \`replace_all\` is true. It is matched against the text as the earlier edits left it, so an edit may change text an earlier one inserted.
- \`strict\` (default true): if any edit fails, the file is left untouched and the refusal names the failing edit (\`edits[i]\`, counting from 0) and why.
- \`best_effort\`: edits that fail are skipped and reported; the others are written. \`best_effort\` wins over \`strict\`, and \`strict: false\` means the same as \`best_effort: true\`.
- The file must have been read (with \`read\`) and not changed since; binary files are refused; CRLF line endings are kept (write plain newlines).
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const multiEditTool: ToolFactory = {
  name: 'multi_edit',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'multi_edit',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'edit',
      input,
      async execute(args, ctx) {
        const bestEffort = args.best_effort || !args.strict;
        const file = await loadEditable(ctx, args.path, 'multi_edit');
        let text = file.text;
        let replacements = 0;
        const failures: string[] = [];
        for (const [index, change] of args.edits.entries()) {
          const oldString = normalizeNewlines(change.old_string, file.crlf);
          const newString = normalizeNewlines(change.new_string, file.crlf);
          const replaced = replaceExact(text, oldString, newString, change.replace_all, file.shown);
          if (replaced.ok) {
            text = replaced.text;
            replacements += replaced.count;
            continue;
          }
          if (!bestEffort) {
            const before = index === 0 ? '' : ` (after ${plural(index, 'earlier edit')} applied in memory)`;
            fail(
              `edits[${index}] (edit ${index + 1} of ${args.edits.length}) failed${before}: ${replaced.error}\n` +
                `No changes were made to ${file.shown}: in strict mode all edits apply or none does. Fix that edit and send them all again, or set best_effort to apply the others.`,
            );
          }
          failures.push(`edits[${index}]: ${replaced.error}`);
        }

        const applied = args.edits.length - failures.length;
        if (applied === 0) fail(`none of the edits applied; ${file.shown} is unchanged.\n${failures.join('\n')}`);
        await saveEdited(ctx, file, text, 'multi_edit');
        const summary = `Edited ${file.shown}: applied ${applied} of ${plural(args.edits.length, 'edit')} (${plural(replacements, 'replacement')}).`;
        const diff = await changeDiff(file.shown, file.text, text);
        if (failures.length === 0) return diff ? { output: summary, metadata: { diff } } : summary;
        return { output: `${summary}\nNot applied:\n${failures.join('\n')}`, metadata: { applied, failed: failures.length, ...(diff ? { diff } : {}) } };
      },
    }),
};

function fail(message: string): never {
  throw new ToolError(message, { tool: 'multi_edit' });
}
