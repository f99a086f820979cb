/**
 * Where to cut: everything before the boundary (after the system message) is
 * summarised, everything from it on stays verbatim.
 *
 * The kept suffix starts at the `keepRecentTurns`-th user message from the
 * end. A conversation with fewer user turns keeps everything when it is short
 * (under 8 messages) and otherwise its second half. The cut never leaves tool
 * results at the head of the kept part without their call: it moves forward
 * past them, so the assistant round and its results are summarised together.
 */
import type { Message } from '../llm/messages.js';

export type Boundary = { ok: true; index: number } | { ok: false; reason: 'too_short' };

const SHORT_CONVERSATION = 8;

export function findBoundary(messages: readonly Message[], keepRecentTurns: number): Boundary {
  const n = messages.length;
  let keep = -1;
  let users = 0;
  for (let i = n - 1; i >= 0 && keepRecentTurns > 0; i--) {
    if (messages[i]?.role !== 'user') continue;
    users++;
    if (users === keepRecentTurns) {
      keep = n - i;
      break;
    }
  }
  if (keep < 0) {
    if (n < SHORT_CONVERSATION) return { ok: false, reason: 'too_short' };
    keep = Math.floor(n / 2);
  }
  let index = n - keep;
  while (index < n && messages[index]?.role === 'tool') index++;
  // Index 0 is the system message; a zone of nothing or of it alone is not worth a summary.
  if (index <= 1) return { ok: false, reason: 'too_short' };
  return { ok: true, index };
}
