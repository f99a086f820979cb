/**
 * `skill`: load a skill's instructions by name. The prompt lists skills in
 * one line each; the model pulls the full procedure only when a task calls
 * for it, so a large skill collection costs little until used.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { didYouMean } from '../../engine/util/close-match.js';

const input = builtinInput('skill', () => z.object({
  name: z.string().min(1).describe('The skill to load, as listed in the Skills section of the system prompt.'),
  arguments: z.string().optional().describe('What to apply the skill to (a file, a topic, options), when the skill takes any.'),
}));

const DESCRIPTION = 'Load the instructions of a skill by name; follow them to do the task the skill is for.';

const DOC = `Load a skill: a written procedure for a particular kind of task (with any scripts and reference files beside it).

- \`name\`: a skill from the Skills section of the system prompt.
- \`arguments\` (optional): what the task is about; it is repeated after the instructions so you can apply them to it.

The result names the skill's folder; relative paths in the instructions (scripts/, references/, assets/) are inside that folder.
Load a skill before doing the task it describes, then follow its steps.`;

/** Names listed in an "unknown skill" reply; more would only cost tokens. */
const LISTED = 20;

export const skillTool: ToolFactory = {
  name: 'skill',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'skill',
      description: DESCRIPTION,
      doc: DOC,
      input,
      execute(args, ctx) {
        const skills = ctx.runtime.skills;
        if (!skills) return { output: 'Skills are not available here: this creature has no skills.', isError: true };
        const name = args.name.trim();
        const body = skills.body(name);
        if (body === undefined) {
          const names = skills.names();
          if (names.length === 0) return { output: `Unknown skill '${name}': no skills are available.`, isError: true };
          const shown = names.slice(0, LISTED).join(', ') + (names.length > LISTED ? `, … (${names.length - LISTED} more)` : '');
          return { output: `Unknown skill '${name}'${didYouMean(name, names)}. Available skills: ${shown}.`, isError: true };
        }
        const extra = args.arguments?.trim();
        return extra ? `${body}\n\nArguments: ${extra}` : body;
      },
    }),
};
