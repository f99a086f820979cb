/**
 * The Messages API rejects a request unless every `tool_use` is answered by
 * a `tool_result` in the very next user turn, with the results first in that
 * turn, and no result answers a call that is not there. An interrupted turn or
 * a trimmed history breaks that, so the turn list is repaired before sending
 * instead of failing the request.
 *
 * This works on wire turns, after same-role merging: a user remark typed
 * between a call and its result then simply shares the turn with the result.
 * (The provider-neutral repair in `../pairing.ts` works on our message list,
 * before that merging, so it cannot know these rules; only the note is shared.)
 */
import { ORPHAN_CALL_NOTE } from '../pairing.js';
import type { WireBlock, WireMessage, WireToolResultBlock, WireToolUseBlock } from './wire-types.js';

/** The result given to a call that never got one: the same note as everywhere else. */
export const ORPHAN_RESULT_TEXT = ORPHAN_CALL_NOTE;

/**
 * Answer every unanswered `tool_use` with an error result, drop results that
 * answer nothing, and put each turn's results first, in call order. Returns
 * a new list; turns that needed no change are reused as they are.
 */
export function repairToolPairing(turns: readonly WireMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  let pending: WireToolUseBlock[] = [];
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      // Two assistant turns in a row do not survive merging, but stay safe if they arrive.
      if (pending.length > 0) out.push({ role: 'user', content: answer(pending, []) });
      out.push(turn);
      pending = turn.content.filter(isToolUse);
      continue;
    }
    const repaired = answerTurn(turn, pending);
    if (repaired.content.length > 0) out.push(repaired);
    pending = [];
  }
  // The history ends on calls (an interrupted turn being resumed): answer them in a turn of their own.
  if (pending.length > 0) out.push({ role: 'user', content: answer(pending, []) });
  return out;
}

function answerTurn(turn: WireMessage, calls: readonly WireToolUseBlock[]): WireMessage {
  const results = turn.content.filter(isToolResult);
  const others = turn.content.filter((block) => !isToolResult(block));
  const content = [...answer(calls, results), ...others];
  const unchanged = content.length === turn.content.length && content.every((block, i) => block === turn.content[i]);
  return unchanged ? turn : { role: 'user', content };
}

/** One result per call, in call order: the first result given for its id, else the orphan note. */
function answer(calls: readonly WireToolUseBlock[], results: readonly WireToolResultBlock[]): WireToolResultBlock[] {
  return calls.map(
    (call) =>
      results.find((result) => result.tool_use_id === call.id) ?? {
        type: 'tool_result',
        tool_use_id: call.id,
        content: ORPHAN_RESULT_TEXT,
        is_error: true,
      },
  );
}

function isToolUse(block: WireBlock): block is WireToolUseBlock {
  return block.type === 'tool_use';
}

function isToolResult(block: WireBlock): block is WireToolResultBlock {
  return block.type === 'tool_result';
}
