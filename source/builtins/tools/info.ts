/**
 * `info`: the full documentation of a tool, sub-agent or skill by name. The
 * prompt lists each tool with one line; this returns the rest (options,
 * limits, examples). The docs come from the host (`ctx.runtime.describe`).
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { closeMatches } from '../../engine/util/close-match.js';

/** Names listed when a name is unknown and nothing is close to it. */
const LISTED = 40;

const input = builtinInput('info', () => z.object({
  name: z.string().trim().min(1).describe('The name of a tool, sub-agent or skill, as listed in your instructions.'),
}));

const DESCRIPTION = 'Show the full documentation of a tool, sub-agent or skill by name.';

const DOC = `Return the full documentation of \`name\`: a tool, a sub-agent or a skill you can use. Your instructions list each with one line; this gives the details (parameters, limits, behaviour, examples).

Read it before using something for the first time when its one line leaves you unsure. An unknown name is an error that suggests close names.`;

const TOOL = 'info';

export const infoTool: ToolFactory = {
  name: 'info',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'info',
      description: DESCRIPTION,
      doc: DOC,
      input,
      execute: (args, ctx) => describe(args.name, ctx),
    }),
};

function describe(name: string, ctx: ToolContext): string {
  const runtime = ctx.runtime;
  if (!runtime.describe) throw new ToolError('no documentation is available here: this host does not provide it to tools', { tool: TOOL });
  const doc = runtime.describe(name);
  if (doc !== undefined) return doc;
  const known = runtime.describable?.() ?? [];
  // "Bash" for "bash": take a name that differs only in case, when there is exactly one.
  const folded = known.filter((k) => k.toLowerCase() === name.toLowerCase());
  const only = folded.length === 1 ? runtime.describe(folded[0] as string) : undefined;
  if (only !== undefined) return only;
  const near = closeMatches(name, known);
  if (near.length) throw new ToolError(`nothing named "${name}" (did you mean: ${near.join(', ')}?)`, { tool: TOOL });
  if (!known.length) throw new ToolError(`nothing named "${name}"`, { tool: TOOL });
  const sorted = [...known].sort();
  const listed = sorted.slice(0, LISTED).join(', ') + (sorted.length > LISTED ? `, … (${sorted.length - LISTED} more)` : '');
  throw new ToolError(`nothing named "${name}". Known names: ${listed}`, { tool: TOOL });
}
