/**
 * The creature's questions for the person: `ask_user` and approvals of
 * edits and commands. While the app is up it registers itself as the
 * creature's asker and approver; each question becomes pending state that
 * the prompt area draws as a dialog and answers from the keyboard.
 */
import { useEffect } from 'react';
import type { Agent, ApprovalAnswer, ApprovalMode, ApprovalRequest, AskOptions } from '../../index.js';
import type { PendingQuestion } from './ask-dialog.js';

export interface Asking extends PendingQuestion {
  resolve(answer: string): void;
  reject(error: Error): void;
}

export interface Approving {
  request: ApprovalRequest;
  /** What "don't ask again" would save for this call (`bash(git status:*)`); empty hides that choice. */
  rules: readonly string[];
  decide(answer: ApprovalAnswer): void;
}

export interface DialogState {
  /** The pending ones, read outside React renders (key handlers). */
  current(): { asking: Asking | undefined; approving: Approving | undefined };
  setAsking(next: Asking | undefined): void;
  setApproving(next: Approving | undefined): void;
  /** A fresh answer box for a new question. */
  resetAnswer(): void;
}

export function useCreatureDialogs(agent: Agent | undefined, approvalMode: ApprovalMode, dialogs: DialogState): void {
  useEffect(() => {
    if (!agent) return;
    agent.setAskUser(
      (question: string, options: AskOptions) =>
        new Promise<string>((resolve, reject) => {
          const pending: Asking = { question, choices: options.choices, resolve, reject };
          options.signal.addEventListener('abort', () => dialogs.current().asking === pending && dialogs.setAsking(undefined), { once: true });
          dialogs.resetAnswer();
          dialogs.setAsking(pending);
        }),
    );
    return () => agent.setAskUser(undefined);
    // `dialogs` reads and writes through refs; it is the same for the component's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agent]);

  // The gate asks one at a time, so there is at most one pending approval.
  useEffect(() => {
    if (!agent) return;
    void agent.setApprover(async (request, signal) => {
      // Loaded here, not with the first frame: approvals come after the creature is built.
      const { suggestRules } = await import('../../builtins/permissions/rules.js');
      if (signal.aborted) return 'deny';
      return new Promise<ApprovalAnswer>((resolve) => {
        const pending: Approving = {
          request,
          rules: suggestRules(request, agent.cwd),
          decide: (decision) => {
            if (dialogs.current().approving === pending) dialogs.setApproving(undefined);
            resolve(decision);
          },
        };
        signal.addEventListener('abort', () => pending.decide('deny'), { once: true });
        dialogs.setApproving(pending);
      });
    }, approvalMode);
    return () => void agent.setApprover(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agent, approvalMode]);
}
