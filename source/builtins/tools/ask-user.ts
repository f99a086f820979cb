/**
 * `ask_user`: put a question to the person at the UI and wait for the
 * answer. The question is an `interaction.request` of kind `ask` that any
 * surface answers; where nobody can (output piped, CI, a background run) the
 * tool says so at once, so the model goes on by its own judgement instead of
 * waiting.
 * Exclusive: one question at a time.
 */
import { z } from 'zod';
import { NoAnswerError, ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext, ToolResultObject } from '../../engine/tools/tool.js';
import { raceAbort } from '../../engine/util/abort.js';

const MAX_CHOICES = 20;

const input = builtinInput('ask-user', () =>
  z.object({
  question: z.string().trim().min(1).describe('The question, complete enough to answer without scrolling back.'),
  choices: z
    .array(z.string().trim().min(1).max(200))
    .min(1)
    .max(MAX_CHOICES)
    .refine((list) => new Set(list).size === list.length, 'choices must be different from each other')
    .optional()
    .describe('Offered answers, when the question has a fixed set. The user may still answer in their own words.'),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Ask the user a question and wait for the answer; optionally offer choices.';

const DOC = `Ask the person using this agent a question and wait for the reply.

Use it when you cannot go on well without them: an ambiguous request, a choice between approaches with real trade-offs, a missing detail only they know (a name, a credential location, a preference), or a confirmation before something hard to undo. Do not use it for questions you can settle yourself by reading files or running commands.

- \`question\`: one clear question. Say what you will do with each kind of answer if that helps.
- \`choices\` (optional, up to ${MAX_CHOICES}): answers to pick from. The user may still type something else.

The result is the user's answer as text. When nobody can answer (the agent runs without an interactive user, e.g. its output is piped), the call fails at once; then proceed on your best judgement and say which assumption you made, or stop and explain what you need.`;

const TOOL = 'ask_user';

export const NO_USER_MESSAGE =
  'nobody can answer questions in this mode (there is no interactive user: output is piped or the agent runs unattended). ' +
  'Proceed on your best judgement and state the assumption you made, or stop and explain what you need from the user.';

export const askUserTool: ToolFactory = {
  name: 'ask_user',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'ask_user',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      input,
      execute: (args, ctx) => ask(args, ctx),
    }),
};

async function ask(args: Args, ctx: ToolContext): Promise<ToolResultObject> {
  const port = ctx.runtime.interactions;
  if (!port?.available) throw new ToolError(NO_USER_MESSAGE, { tool: TOOL });
  ctx.signal.throwIfAborted();
  // The hub drops the question when the signal fires; racing it as well
  // means a surface that never answers still cannot hold the turn.
  const pending = port.request('ask', { question: args.question, ...(args.choices ? { choices: args.choices } : {}) }, ctx.signal);
  let answer: unknown;
  try {
    answer = await raceAbort(pending, ctx.signal);
  } catch (error) {
    if (error instanceof NoAnswerError) throw new ToolError(NO_USER_MESSAGE, { tool: TOOL });
    throw error;
  }
  const text = typeof answer === 'string' ? answer.trim() : '';
  return {
    output: text ? `The user answered:\n${text}` : 'The user gave an empty answer.',
    metadata: { question: args.question, answer: text, ...(args.choices ? { choices: args.choices } : {}) },
  };
}
