/**
 * The part of the conversation to summarise, as plain text for the summary
 * model: one `[role]: text` block per message. Tool output is cut to its
 * first 500 characters (the summary keeps facts and decisions, not dumps);
 * tool calls show their name and the start of their arguments.
 */
import { contentText, type Message } from '../llm/messages.js';

const TOOL_OUTPUT_CHARS = 500;
const CALL_ARGS_CHARS = 200;

export function formatZone(messages: readonly Message[]): string {
  return messages.map(formatMessage).filter(Boolean).join('\n\n');
}

function formatMessage(message: Message): string {
  switch (message.role) {
    case 'system':
      return '';
    case 'user':
      return `[user]: ${contentText(message.content)}`;
    case 'assistant': {
      const calls = (message.toolCalls ?? []).map((c) => `${c.name}(${clip(c.arguments, CALL_ARGS_CHARS)})`);
      const text = message.content ? `[assistant]: ${message.content}` : '';
      const called = calls.length ? `[assistant called]: ${calls.join(', ')}` : '';
      return [text, called].filter(Boolean).join('\n');
    }
    case 'tool': {
      const output = contentText(message.content);
      const shown = output.length > TOOL_OUTPUT_CHARS ? `${output.slice(0, TOOL_OUTPUT_CHARS)}… (${output.length} chars total)` : output;
      return `[tool ${message.name}${message.isError ? ', failed' : ''}]: ${shown}`;
    }
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
