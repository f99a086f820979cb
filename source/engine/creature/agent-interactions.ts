/**
 * The older, callback-shaped ways to answer a creature (`setAskUser`,
 * `setApprover`) as handlers on the interaction events: a surface that
 * prefers callbacks gets them, and every question still goes through
 * `interaction.request` / `interaction.reply`, so it is logged the same way.
 */
import type { EventDraft, EventOf, InteractionKind } from '../events.js';
import type { OpenInteraction } from '../session/records.js';
import type { ApprovalAnswer, ApprovalRequest, AskApproval } from '../tools/approval.js';
import type { AskOptions } from '../tools/runtime.js';
import type { ToolEffect } from '../tools/tool.js';
import type { InteractionRequest, Interactions } from './interactions.js';

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
  return agent.answer(['approval'], (request, signal): Promise<ApprovalAnswer> => {
    const p = request.payload as { tool?: unknown; effect?: unknown; args?: unknown; agentPath?: unknown; callId?: unknown };
    const approval: ApprovalRequest = {
      tool: String(p.tool ?? ''),
      effect: (p.effect === 'edit' ? 'edit' : 'execute') as ToolEffect,
      args: p.args,
      agentPath: Array.isArray(p.agentPath) ? p.agentPath.map(String) : [],
      ...(typeof p.callId === 'string' ? { callId: p.callId } : {}),
    };
    return ask(approval, signal);
  });
}

/**
 * Answer requests of `kinds` with `handler` (attached as a surface) until the
 * returned function is called. The handler's value is the reply; a throw is
 * reported as the surface failing; a request closed meanwhile aborts `signal`.
 */
export function answerWith(
  interactions: Interactions,
  onRequest: (listener: (event: EventOf<'interaction.request'>) => void) => () => void,
  kinds: readonly InteractionKind[],
  handler: InteractionHandler,
): () => void {
  const detach = interactions.attach();
  const handle = (request: InteractionRequest) => {
    if (!kinds.includes(request.kind)) return;
    const closed = interactions.closedSignal(request.id);
    Promise.resolve()
      .then(() => handler({ id: request.id, kind: request.kind, payload: request.payload }, closed))
      .then(
        (reply) => interactions.respond(request.id, reply),
        (error: unknown) => interactions.fail(request.id, error),
      );
  };
  // Questions asked before this surface attached (another one left, the team app moved its focus) wait for it.
  for (const open of interactions.open) handle(open);
  const unsubscribe = onRequest((event) => handle({ id: event.id, kind: event.kind, payload: event.payload }));
  return () => {
    unsubscribe();
    detach();
  };
}

/**
 * A question the session's last process asked and never got answered. Its
 * request is closed as expired; a question to the user is put again (once
 * someone is there to answer) and the answer goes to the model as a new
 * turn. An approval cannot come back: its call did not run, and the user is told.
 */
export function askAgain(
  question: OpenInteraction,
  creature: { emit(draft: EventDraft): void; interactions: Interactions; stopped(): boolean; reply(text: string): void },
): void {
  creature.emit({ type: 'interaction.reply', id: question.id, reply: null, outcome: 'expired' });
  if (question.kind !== 'ask') {
    const tool = String(question.payload['tool'] ?? 'a tool');
    creature.emit({ type: 'warning', code: 'INTERACTION_EXPIRED', message: `an approval for ${tool} was waiting when the session ended; that call did not run` });
    return;
  }
  const text = String(question.payload['question'] ?? '');
  void (async () => {
    await creature.interactions.whenAvailable();
    if (creature.stopped()) return;
    const answer = await creature.interactions.request('ask', { ...question.payload, resumed: true });
    if (!creature.stopped()) creature.reply(`(The answer to the question you asked before the session was interrupted — "${text}")\n${String(answer ?? '')}`);
  })().catch(() => undefined);
}
