/**
 * Conversations with tool calls, for the tests of the code that keeps every
 * call answered right after it: only ids, names and order matter there, so
 * the builders fill in the rest.
 */
import type { Message, ToolCallRequest, ToolMessage } from '../../source/engine/llm/messages.js';

export const toolCall = (id: string, name = 't'): ToolCallRequest => ({ id, name, arguments: '{}' });

export const toolResult = (id: string, content = `r-${id}`): ToolMessage => ({ role: 'tool', toolCallId: id, name: 't', content });

/** Every call answered right after it, in call order: nothing for a repair to do. */
export function wellPaired(): Message[] {
  return [
    { role: 'system', content: 's' },
    { role: 'user', content: 'u' },
    { role: 'assistant', content: '', toolCalls: [toolCall('a'), toolCall('b')] },
    toolResult('a'),
    toolResult('b'),
    { role: 'assistant', content: 'done' },
  ];
}

/** A call left unanswered (the turn was interrupted), then results that answer no call. */
export function interruptedCall(): Message[] {
  return [
    { role: 'user', content: 'go' },
    { role: 'assistant', content: '', toolCalls: [toolCall('lost', 'run')] },
    { role: 'user', content: 'what happened?' },
    toolResult('nobody', 'stray'),
    { role: 'assistant', content: 'Nothing.' },
    toolResult('nobody_either', 'stray too'),
    { role: 'user', content: 'ok' },
  ];
}
