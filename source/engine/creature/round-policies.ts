/**
 * What may change the conversation between rounds, beside the rounds
 * themselves: `prepareRound` policies. Each is told before a round and at
 * turn end (compaction starts in the background there), and may recover a
 * round that overflowed the context window (trimming the last tool round).
 * Every such change is an event, so replay makes the same change.
 */
import type { ProviderError } from '../errors.js';
import type { Conversation } from './conversation.js';
import type { Emit } from './controller.js';

export interface PolicyContext {
  step: number;
  conversation: Conversation;
  emit: Emit;
  /** Prompt tokens of the last model call, 0 before the first. */
  promptTokens: number;
  signal: AbortSignal;
}

export interface RoundPolicy {
  readonly name: string;
  /** Before a round (after the first) and when the turn ends. */
  prepare?(context: PolicyContext, when: 'round' | 'turn-end'): void | Promise<void>;
  /** A request failed as too large: fix the conversation and return true to send it again (once per round). */
  recover?(failure: ProviderError, context: PolicyContext): boolean;
}

/** Overflow: drop the last tool round (what grew the context) with a note telling the model why. */
export const overflowTrim: RoundPolicy = {
  name: 'overflow-trim',
  recover(failure, { conversation, emit, step }) {
    if (failure.errorClass !== 'overflow') return false;
    const cut = conversation.dropLastToolRound(overflowNote);
    if (!cut) return false;
    emit({ type: 'context.trimmed', step, ...cut });
    return true;
  },
};

function overflowNote(tools: string[]): string {
  return `[The results of the last tool calls (${tools.join(', ')}) did not fit in the context window and were removed. Continue with smaller requests: narrower reads, searches with fewer results, or output piped through head.]`;
}
