/**
 * Tool-call pairing on our provider-neutral message list. Every API we talk
 * to rejects a tool call without its result, or a result whose call it never
 * saw; an interrupted turn, a crash or a hand-edited session breaks that.
 * The creature repairs its conversation before each request, and the
 * adapters that convert `Message`s repair again, since they are also used
 * on their own.
 */
import type { Message, ToolMessage } from './messages.js';

/** The result recorded for a call that never got one, so the model knows it did not run to the end. */
export const ORPHAN_CALL_NOTE = 'No result: the call was interrupted before it finished.';

/**
 * Make tool-call pairing valid: every assistant tool call is answered by
 * exactly one tool message right after it, in call order (the first answer
 * given for its id, else an error result carrying {@link ORPHAN_CALL_NOTE}),
 * and tool messages that answer nothing are dropped. Returns a new array of
 * the same message objects (converters cache by identity); input untouched.
 */
export function repairToolPairing(messages: readonly Message[]): Message[] {
  // The common case, checked cheaply: already valid, so a plain copy will do.
  if (isWellPaired(messages)) return messages.slice();
  const out: Message[] = [];
  let i = 0;
  while (i < messages.length) {
    const message = messages[i] as Message;
    i++;
    if (message.role === 'tool') continue; // a result with no call right before it
    out.push(message);
    if (message.role !== 'assistant' || !message.toolCalls?.length) continue;
    const answers = new Map<string, ToolMessage>();
    while (i < messages.length && (messages[i] as Message).role === 'tool') {
      const result = messages[i] as ToolMessage;
      // The first answer wins; a duplicate would be a second result for one call.
      if (!answers.has(result.toolCallId)) answers.set(result.toolCallId, result);
      i++;
    }
    for (const call of message.toolCalls) {
      out.push(
        answers.get(call.id) ?? {
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: ORPHAN_CALL_NOTE,
          isError: true,
        },
      );
    }
  }
  return out;
}

/**
 * True when every tool call is answered right after it, in order, and no
 * result is stray. `from` skips a prefix already found well paired (it must
 * end where a well-paired list ended: a list that grows by appends is checked
 * from where the last check stopped).
 */
export function isWellPaired(messages: readonly Message[], from = 0): boolean {
  let i = from;
  while (i < messages.length) {
    const message = messages[i++] as Message;
    if (message.role === 'tool') return false;
    const calls = message.role === 'assistant' ? message.toolCalls : undefined;
    if (!calls?.length) continue;
    // Indexed, not for-of: this runs over the whole history every round.
    for (let c = 0; c < calls.length; c++) {
      const answer = messages[i++];
      if (answer?.role !== 'tool' || answer.toolCallId !== (calls[c] as { id: string }).id) return false;
    }
  }
  return true;
}
