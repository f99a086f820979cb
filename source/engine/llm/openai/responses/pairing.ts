/**
 * Tool-call pairing for the Responses API, which rejects a `function_call`
 * without its `function_call_output` and an output whose call it never saw.
 *
 * The creature's conversation already keeps pairing valid; this is the
 * adapter's own last line of defence (engine/llm must not import
 * engine/creature), so a crash or a hand-edited session cannot turn every
 * later request into a 400.
 */
import type { Message, ToolMessage } from '../../messages.js';

/** What an unanswered call is told, so the model knows the call did not run to the end. */
export const UNANSWERED_CALL_OUTPUT = 'No result: the call was interrupted before it finished.';

/**
 * The messages with every assistant tool call answered by exactly one tool
 * message right after it (a stand-in when the answer is missing) and stray
 * tool messages dropped. Messages already well paired are returned as the
 * same objects, so the converter's cache keeps working.
 */
export function pairToolOutputs(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  let i = 0;
  while (i < messages.length) {
    const message = messages[i] as Message;
    i++;
    // A tool message not consumed below answers no call right before it.
    if (message.role === 'tool') continue;
    out.push(message);
    if (message.role !== 'assistant' || !message.toolCalls?.length) continue;
    const answers = new Map<string, ToolMessage>();
    while (i < messages.length && (messages[i] as Message).role === 'tool') {
      const result = messages[i] as ToolMessage;
      // The first answer wins; a duplicate would be a second output for one call.
      if (!answers.has(result.toolCallId)) answers.set(result.toolCallId, result);
      i++;
    }
    for (const call of message.toolCalls) {
      out.push(
        answers.get(call.id) ?? {
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: UNANSWERED_CALL_OUTPUT,
          isError: true,
        },
      );
    }
  }
  return out;
}
