/**
 * Questions from the creature when there is no terminal app: `ask_user` for
 * a `-p` run at a terminal, and approvals in the plain REPL.
 */
import type { ApprovalDecision, ApprovalRequest } from '../engine/tools/approval.js';
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

/** The REPL's approval question: y (once), a (always for this tool), anything else no. */
export async function askApproval(repl: { ask(question: string, options: AskOptions): Promise<string> }, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
  const args = (request.args ?? {}) as Record<string, unknown>;
  const what = typeof args.command === 'string' ? `$ ${args.command}` : typeof args.path === 'string' ? args.path : JSON.stringify(args);
  const answer = await repl.ask(`Allow ${request.tool}: ${what}\n  [y] yes  [a] yes, always for ${request.tool}  [n] no`, { signal });
  const choice = answer.trim().toLowerCase();
  return choice === 'y' || choice === 'yes' ? 'once' : choice === 'a' || choice === 'always' ? 'always' : 'deny';
}

