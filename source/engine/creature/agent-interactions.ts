/**
 * The older, callback-shaped ways to answer a creature (`setAskUser`,
 * `setApprover`) as handlers on the interaction events: a surface that
 * prefers callbacks gets them, and every question still goes through
 * `interaction.request` / `interaction.reply`, so it is logged the same way.
 */
import type { InteractionKind } from '../events.js';
import type { ApprovalDecision, ApprovalRequest, AskApproval } from '../tools/approval.js';
import type { AskOptions } from '../tools/runtime.js';
import type { ToolEffect } from '../tools/tool.js';
import type { InteractionRequest } from './interactions.js';

export type InteractionHandler = (request: InteractionRequest, signal: AbortSignal) => unknown;

interface Answerer {
  answer(kinds: readonly InteractionKind[], handler: InteractionHandler): () => void;
}

export function answerAsks(agent: Answerer, ask: (question: string, options: AskOptions) => Promise<string>): () => void {
  return agent.answer(['ask'], (request, signal) => {
    const { question, choices } = request.payload as { question?: unknown; choices?: unknown };
    const options: AskOptions = { signal, ...(Array.isArray(choices) ? { choices: choices.map(String) } : {}) };
    return ask(String(question ?? ''), options);
  });
}

export function answerApprovals(agent: Answerer, ask: AskApproval): () => void {
  return agent.answer(['approval'], (request, signal): Promise<ApprovalDecision> => {
    const p = request.payload as { tool?: unknown; effect?: unknown; args?: unknown; agentPath?: unknown };
    const approval: ApprovalRequest = {
      tool: String(p.tool ?? ''),
      effect: (p.effect === 'edit' ? 'edit' : 'execute') as ToolEffect,
      args: p.args,
      agentPath: Array.isArray(p.agentPath) ? p.agentPath.map(String) : [],
    };
    return ask(approval, signal);
  });
}
