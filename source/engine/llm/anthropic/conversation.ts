/**
 * Our message list → the Messages API's `system` and `messages`. The API
 * takes the system prompt as a top-level field, wants user and assistant
 * turns to alternate, and wants tool calls paired with their results; the
 * neutral history guarantees none of that, so this is where it is made true.
 */
import type { Message } from '../messages.js';
import { systemBlocks, toWireTurn } from './message-blocks.js';
import { repairToolPairing } from './tool-pairing.js';
import type { WireMessage, WireTextBlock } from './wire-types.js';

export interface WireConversation {
  system: WireTextBlock[];
  messages: WireMessage[];
}

/** Convert, merge same-role neighbours, repair tool pairing. Input untouched. */
export function toWireConversation(messages: readonly Message[]): WireConversation {
  const turns: WireMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const turn = toWireTurn(message);
    if (turn) turns.push(turn);
  }
  // Merge again after the repair: a turn left empty by dropping stray results can make two assistant turns neighbours.
  return { system: systemBlocks(messages), messages: mergeTurns(repairToolPairing(mergeTurns(turns))) };
}

/**
 * Join consecutive turns of the same role into one. The API requires
 * alternation; consecutive tool results (one neutral message each) and a
 * user remark after them all belong in a single user turn.
 */
export function mergeTurns(turns: readonly WireMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  for (const turn of turns) {
    const last = out[out.length - 1];
    if (last && last.role === turn.role) out[out.length - 1] = { role: turn.role, content: [...last.content, ...turn.content] };
    else out.push(turn);
  }
  return out;
}
