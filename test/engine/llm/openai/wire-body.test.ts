import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../source/engine/llm/messages.js';
import type { LLMRequest, ToolSpec } from '../../../../source/engine/llm/provider.js';
import { buildChatBody } from '../../../../source/engine/llm/openai/request.js';
import { encodeChatBody } from '../../../../source/engine/llm/openai/wire-body.js';

const tools: ToolSpec[] = [
  { name: 'bash', description: 'Run a command — in the working folder.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } },
  { name: 'read', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
];
const messages: Message[] = [
  { role: 'system', content: 'You help. Ünïcödé and emoji 🐢 survive.' },
  { role: 'user', content: 'list files' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'bash', arguments: '{"command":"ls"}' }] },
  { role: 'tool', toolCallId: 'call_1', name: 'bash', content: 'a.txt\nb.txt' },
];

const decoded = (bytes: Buffer) => JSON.parse(bytes.toString('utf8'));

describe('encodeChatBody', () => {
  it('is the JSON of buildChatBody, knobs and extra body included', () => {
    const request: LLMRequest = { messages, tools, temperature: 0.2, maxTokens: 100, extraBody: { top_p: 0.9, stream_options: { foo: 1 } } };
    expect(decoded(encodeChatBody('m', request))).toEqual(buildChatBody('m', request));
  });

  it('leaves out tools when there are none', () => {
    const request: LLMRequest = { messages };
    const body = decoded(encodeChatBody('m', request));
    expect(body).toEqual(buildChatBody('m', request));
    expect(body).not.toHaveProperty('tools');
  });

  it('encodes each message and tool list once, then reuses the bytes', () => {
    const first = encodeChatBody('m', { messages, tools });
    const longer = [...messages, { role: 'user', content: 'and now?' } as Message];
    const second = encodeChatBody('m', { messages: longer, tools });
    // The second body starts with the same bytes for the shared history.
    const shared = first.indexOf(Buffer.from(']'), first.indexOf(Buffer.from('"content":"a.txt')));
    expect(second.subarray(0, shared).equals(first.subarray(0, shared))).toBe(true);
    expect(decoded(second).messages).toHaveLength(5);
  });

  it('honours an extra body that replaces the messages or tools', () => {
    const request: LLMRequest = { messages, tools, extraBody: { tools: [] } };
    expect(decoded(encodeChatBody('m', request))).toEqual(buildChatBody('m', request));
    expect(decoded(encodeChatBody('m', request)).tools).toEqual([]);
  });
});
