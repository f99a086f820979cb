import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../../source/engine/llm/messages.js';
import { InputConverter } from '../../../../../source/engine/llm/openai/responses/input.js';
import { buildResponsesBody, type BodySettings } from '../../../../../source/engine/llm/openai/responses/request.js';
import { ResponsesBodyEncoder } from '../../../../../source/engine/llm/openai/responses/wire-body.js';
import type { LLMRequest, ToolSpec } from '../../../../../source/engine/llm/provider.js';
import { lookingAssistant, pictureQuestion } from '../../wire-inputs.js';

const tools: ToolSpec[] = [
  { name: 'look', description: 'Look closer — zoomed.', parameters: { type: 'object', properties: { zoom: { type: 'number' } } } },
  { name: 'read', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
];
const reasoning = { responses_reasoning: [{ id: 'rs_1', summary: [{ type: 'summary_text', text: 'plan 🐢' }], encrypted_content: 'gAAAAB-1' }] };
const history: Message[] = [
  { role: 'system', content: 'You help. Ünïcödé and emoji 🐢 survive.' },
  pictureQuestion('https://example.com/cat.png', 'low'),
  lookingAssistant('Let me look.', reasoning),
  { role: 'tool', toolCallId: 'call_9', name: 'look', content: 'a cat' },
  // Says nothing: no input items at all.
  { role: 'assistant', content: '' },
  { role: 'user', content: 'and now?' },
  // Ends on an unanswered call: pairing adds a fresh output every time.
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_10', name: 'read', arguments: '{"path":"a"}' }] },
];

const settings: BodySettings = { store: false, codex: false };
const decoded = (bytes: Buffer) => JSON.parse(bytes.toString('utf8'));

function same(request: LLMRequest, body: BodySettings = settings, model = 'gpt-5.1') {
  const store = body.store;
  const expected = buildResponsesBody(model, request, new InputConverter(store).convert(request.messages), body);
  expect(decoded(new ResponsesBodyEncoder(new InputConverter(store)).encode(model, request, body))).toEqual(expected);
}

describe('ResponsesBodyEncoder', () => {
  it('is the JSON of buildResponsesBody, knobs and extra body included', () => {
    same({ messages: history, tools, temperature: 0.2, maxTokens: 100, reasoningEffort: 'high', extraBody: { top_p: 0.9, include: [] } });
    same({ messages: history, tools, maxTokens: 100 }, { store: true, codex: true });
    same({ messages: history }, settings, 'gpt-4o');
  });

  it('joins several system prompts and sends empty instructions when there is none', () => {
    same({ messages: [{ role: 'system', content: 'One.' }, ...history] });
    const body = decoded(new ResponsesBodyEncoder(new InputConverter(false)).encode('m', { messages: history.slice(1) }, settings));
    expect(body.instructions).toBe('');
    expect(body).not.toHaveProperty('tools');
  });

  it('reuses the bytes of the shared history as the conversation grows', () => {
    const encoder = new ResponsesBodyEncoder(new InputConverter(false));
    const first = encoder.encode('m', { messages: history.slice(0, 4), tools }, settings);
    const second = encoder.encode('m', { messages: history, tools }, settings);
    const shared = first.indexOf(Buffer.from(']'), first.indexOf(Buffer.from('"output":"a cat"')));
    expect(second.subarray(0, shared).equals(first.subarray(0, shared))).toBe(true);
    same({ messages: history, tools });
  });

  it('honours an extra body that replaces the input, instructions or tools', () => {
    for (const extraBody of [{ tools: [] }, { instructions: 'plain' }, { input: 'hi' }]) same({ messages: history, tools, extraBody });
  });
});
