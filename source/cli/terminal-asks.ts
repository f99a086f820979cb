/**
 * Questions from the creature when there is no terminal app: `ask_user` for
 * a `-p` run at a terminal, and approvals in the plain REPL.
 */
import { alwaysAnswer, APPROVAL_LETTERS, approvalLabels, approvalOptions, refusalAnswer } from '../builtins/permissions/approval-choices.js';
import type { ApprovalAnswer, ApprovalRequest } from '../engine/tools/approval.js';
import type { AskOptions } from '../engine/tools/runtime.js';

/** `ask_user` for `-p` runs at a terminal: the question on stderr, the answer from stdin. */
export async function askOnTerminal(question: string, options: AskOptions): Promise<string> {
  const { ask } = await import('./prompt.js');
  const choices = options.choices?.map((choice, i) => `  ${i + 1}. ${choice}\n`).join('') ?? '';
  process.stderr.write(`\n? ${question}\n${choices}`);
  const answer = await ask(options.choices ? 'answer (number or text)> ' : 'answer> ', options.signal);
  const picked = options.choices && /^\d+$/.test(answer) ? options.choices[Number(answer) - 1] : undefined;
  return picked ?? answer;
}

/**
 * The approval question on a line-based terminal, with the terminal app's
 * choices: y yes; a yes and don't ask again for the narrow rules of this call
 * (offered only when there are some; saved to .kt/settings.json by permgate);
 * n no, then a line of what to do instead (empty: just no). `n <words>` gives
 * both at once. Anything else is a no.
 */
export async function askApproval(
  repl: { ask(question: string, options: AskOptions): Promise<string> },
  request: ApprovalRequest,
  signal: AbortSignal,
  cwd: string,
): Promise<ApprovalAnswer> {
  const { suggestRules } = await import('../builtins/permissions/rules.js');
  const rules = suggestRules(request, cwd);
  const options = approvalOptions(rules);
  const label = approvalLabels(rules);
  const menu = options.map((option) => `[${APPROVAL_LETTERS[option]}] ${label[option]}`).join('\n  ');
  const answer = (await repl.ask(`Allow ${request.tool}: ${describe(request)}\n  ${menu}`, { signal })).trim();
  const [word = '', ...rest] = answer.split(/\s+/);
  const choice = word.toLowerCase();
  if (choice === 'y' || choice === 'yes') return 'once';
  if ((choice === 'a' || choice === 'always') && options.includes('always')) return alwaysAnswer(rules);
  if (choice !== 'n' && choice !== 'no') return 'deny';
  if (rest.length) return refusalAnswer(answer.slice(word.length));
  return refusalAnswer(await repl.ask('What should the creature do instead? (Enter: just no)', { signal }));
}

function describe(request: ApprovalRequest): string {
  const args = (request.args ?? {}) as Record<string, unknown>;
  return typeof args.command === 'string' ? `$ ${args.command}` : typeof args.path === 'string' ? args.path : JSON.stringify(args);
}
