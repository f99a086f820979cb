/**
 * Gemini rejects a history in which a model `functionCall` is not answered
 * by a `functionResponse` in the very next turn, or a response answers no
 * call. The creature keeps its conversation paired, but this adapter is
 * also used directly (and engine/llm may not import engine/creature), so it
 * makes the history valid itself before converting it.
 */
import type { Message, ToolCallRequest, ToolMessage } from '../messages.js';

/** The result recorded for a call that never got one (a crash, an interrupt mid-tool). */
export const MISSING_RESULT_NOTE = 'No result: the call was interrupted before it finished.';

/**
 * The messages with every assistant tool call answered right after it, in
 * call order: unanswered calls get an error result, results that answer no
 * call of the assistant message just before them are dropped. Messages that
 * need no change are passed through as the same objects (the converter caches
 * by identity).
 */
export function pairToolResults(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  let awaiting: readonly ToolCallRequest[] = [];
  let answers = new Map<string, ToolMessage>();

  // Close the latest assistant message's calls: their results, in call order.
  const settle = () => {
    for (const call of awaiting) out.push(answers.get(call.id) ?? missingResult(call));
    awaiting = [];
    answers = new Map();
  };

  for (const message of messages) {
    if (message.role === 'tool') {
      // Only results that directly follow their call count; the first of duplicates wins.
      const expected = awaiting.some((call) => call.id === message.toolCallId);
      if (expected && !answers.has(message.toolCallId)) answers.set(message.toolCallId, message);
      continue;
    }
    settle();
    out.push(message);
    if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) awaiting = message.toolCalls;
  }
  settle();
  return out;
}

function missingResult(call: ToolCallRequest): ToolMessage {
  return { role: 'tool', toolCallId: call.id, name: call.name, content: MISSING_RESULT_NOTE, isError: true };
}
