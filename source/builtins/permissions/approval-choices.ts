/**
 * What a person may answer when asked to approve a call, the same on every
 * surface (the terminal app's dialog, the plain REPL, `-p` at a terminal):
 * yes; yes and don't ask again for the narrow rules `suggestRules` found
 * (offered only when there are some; permgate saves them in the project's
 * .kt/settings.json); no, with the person's words for the creature.
 */
import type { ApprovalAnswer } from '../../engine/tools/approval.js';

export type ApprovalOption = 'once' | 'always' | 'instead';

/** The choices, in order; "don't ask again" only when a narrow rule exists for the call. */
export function approvalOptions(rules: readonly string[]): ApprovalOption[] {
  return rules.length ? ['once', 'always', 'instead'] : ['once', 'instead'];
}

/** The key (or word's first letter) that picks each choice. */
export const APPROVAL_LETTERS: Readonly<Record<ApprovalOption, string>> = { once: 'y', always: 'a', instead: 'n' };

export function approvalLabels(rules: readonly string[]): Record<ApprovalOption, string> {
  return {
    once: 'Yes',
    always: `Yes, and don’t ask again for ${rules.join(', ')} in this project`,
    instead: 'No, and tell the creature what to do instead',
  };
}

/** "Don't ask again": allow this call and remember `rules`. */
export function alwaysAnswer(rules: readonly string[]): ApprovalAnswer {
  return { decision: 'always', rules: [...rules] };
}

/** A refusal; the person's words, when they wrote any, go to the model with it. */
export function refusalAnswer(message: string): ApprovalAnswer {
  const words = message.trim();
  return words ? { decision: 'deny', message: words } : 'deny';
}
