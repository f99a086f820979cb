/**
 * Inputs the request-conversion tests share. Every wire format converts the
 * same content kinds its own way, so each adapter is fed the same turn and
 * tool, and its test differs only in what it expects on the wire.
 */
import type { AssistantMessage, ImagePart, UserMessage } from '../../../source/engine/llm/messages.js';
import type { ToolSpec } from '../../../source/engine/llm/provider.js';

/** A tool whose JSON schema every format must pass on unchanged. */
export const lookTool: ToolSpec = {
  name: 'look',
  description: 'Look closer',
  parameters: { type: 'object', properties: { zoom: { type: 'number' } } },
};

/**
 * A user turn asking `What is in this picture?` about an inline PNG (base64
 * `AAAA`) and a linked image. The link is the caller's: some formats derive
 * the media type from its extension.
 */
export function pictureQuestion(linkedUrl: string, inlineDetail?: ImagePart['detail']): UserMessage {
  const inline: ImagePart = { type: 'image', url: 'data:image/png;base64,AAAA', ...(inlineDetail ? { detail: inlineDetail } : {}) };
  return {
    role: 'user',
    content: [{ type: 'text', text: 'What is in this picture?' }, inline, { type: 'image', url: linkedUrl }],
  };
}

/**
 * An assistant turn calling `look` (id `call_9`, arguments `{"zoom":2}`).
 * Its reasoning is kept for display only, so no format may send it back;
 * `providerFields` are what the format does send back.
 */
export function lookingAssistant(content: string, providerFields: Record<string, unknown>): AssistantMessage {
  return { role: 'assistant', content, toolCalls: [{ id: 'call_9', name: 'look', arguments: '{"zoom":2}' }], reasoning: 'not sent back', providerFields };
}
