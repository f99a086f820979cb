import { describe, expect, it } from 'vitest';
import type { Message } from '../../../source/engine/llm/messages.js';
import { InputConverter } from '../../../source/engine/llm/openai/responses/input.js';
import { pairToolOutputs, UNANSWERED_CALL_OUTPUT } from '../../../source/engine/llm/openai/responses/pairing.js';
import { buildResponsesBody, canReason } from '../../../source/engine/llm/openai/responses/request.js';
import { storedReasoning } from '../../../source/engine/llm/openai/responses/reasoning-items.js';
import { lookingAssistant, pictureQuestion } from './wire-inputs.js';

const reasoningFields = {
  responses_reasoning: [
    { id: 'rs_1', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'gAAAAB-1' },
    { id: 'rs_2', summary: [] },
  ],
};

describe('InputConverter', () => {
  it('joins system messages into instructions and converts every role', () => {
    const messages: Message[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'system', content: 'Use metric units.' },
      pictureQuestion('https://example.com/cat.png', 'low'),
      lookingAssistant('Let me look.', reasoningFields),
      { role: 'tool', toolCallId: 'call_9', name: 'look', content: [{ type: 'text', text: 'a cat' }, { type: 'image', url: 'data:x' }] },
      { role: 'assistant', content: 'A cat.' },
    ];
    expect(new InputConverter(false).convert(messages)).toEqual({
      instructions: 'You are terse.\n\nUse metric units.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in this picture?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
            { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'auto' },
          ],
        },
        // Without a store only encrypted reasoning can go back, and without its id.
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'gAAAAB-1' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look.' }] },
        { type: 'function_call', call_id: 'call_9', name: 'look', arguments: '{"zoom":2}' },
        { type: 'function_call_output', call_id: 'call_9', output: 'a cat[image]' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A cat.' }] },
      ],
    });
  });

  it('with a store, reasoning goes back by id', () => {
    const { input } = new InputConverter(true).convert([{ role: 'assistant', content: 'ok', providerFields: reasoningFields }]);
    expect(input.slice(0, 2)).toEqual([
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'gAAAAB-1' },
      { type: 'reasoning', id: 'rs_2', summary: [] },
    ]);
  });

  it('drops reasoning of an assistant message that said and did nothing (the API wants an item after it)', () => {
    const { input } = new InputConverter(false).convert([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '', providerFields: reasoningFields },
    ]);
    expect(input).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]);
  });

  it('sends an empty instructions string when there is no system prompt', () => {
    expect(new InputConverter(false).convert([{ role: 'user', content: 'hi' }]).instructions).toBe('');
  });

  it('reuses the converted items of a message it has seen', () => {
    const converter = new InputConverter(false);
    const user: Message = { role: 'user', content: 'hi' };
    const first = converter.convert([user]).input[0];
    expect(converter.convert([user, { role: 'user', content: 'more' }]).input[0]).toBe(first);
  });
});

describe('pairToolOutputs', () => {
  const call = (id: string) => ({ id, name: 'run', arguments: '{}' });

  it('keeps well-paired messages as the same objects', () => {
    const messages: Message[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [call('a')] },
      { role: 'tool', toolCallId: 'a', name: 'run', content: 'done' },
    ];
    const paired = pairToolOutputs(messages);
    expect(paired).toEqual(messages);
    paired.forEach((message, i) => expect(message).toBe(messages[i]));
  });

  it('answers missing calls, drops strays and duplicates, and orders outputs like the calls', () => {
    const paired = pairToolOutputs([
      { role: 'tool', toolCallId: 'ghost', name: 'run', content: 'stray at the start' },
      { role: 'assistant', content: '', toolCalls: [call('a'), call('b'), call('c')] },
      { role: 'tool', toolCallId: 'c', name: 'run', content: 'C' },
      { role: 'tool', toolCallId: 'a', name: 'run', content: 'A' },
      { role: 'tool', toolCallId: 'a', name: 'run', content: 'A again' },
      { role: 'user', content: 'next' },
      { role: 'tool', toolCallId: 'b', name: 'run', content: 'too late' },
    ]);
    expect(paired.map((m) => (m.role === 'tool' ? `${m.toolCallId}:${String(m.content)}` : m.role))).toEqual([
      'assistant',
      'a:A',
      `b:${UNANSWERED_CALL_OUTPUT}`,
      'c:C',
      'user',
    ]);
  });
});

describe('buildResponsesBody', () => {
  const converted = { instructions: 'sys', input: [] };

  it('maps options and keeps stream true whatever extraBody says', () => {
    const body = buildResponsesBody(
      'gpt-5',
      {
        messages: [],
        reasoningEffort: 'low',
        maxTokens: 10,
        temperature: 0.1,
        extraBody: { stream: false, include: [], prompt_cache_key: 'k' },
      },
      converted,
      { store: false, codex: false },
    );
    expect(body).toEqual({
      model: 'gpt-5',
      instructions: 'sys',
      input: [],
      store: false,
      parallel_tool_calls: true,
      include: [],
      reasoning: { effort: 'low', summary: 'auto' },
      max_output_tokens: 10,
      temperature: 0.1,
      prompt_cache_key: 'k',
      stream: true,
    });
  });

  it('effort none asks for no summary; store true needs no encrypted reasoning', () => {
    const body = buildResponsesBody('gpt-5.1', { messages: [], reasoningEffort: 'none' }, converted, { store: true, codex: false });
    expect(body.reasoning).toEqual({ effort: 'none' });
    expect(body).not.toHaveProperty('include');
  });

  it('knows which models reason', () => {
    expect(['gpt-5', 'gpt-5-codex', 'o3', 'o4-mini', 'openai/gpt-5.1', 'codex-mini-latest'].every(canReason)).toBe(true);
    expect(['gpt-4o', 'gpt-4.1-mini', 'gpt-3.5-turbo', 'chatgpt-4o-latest', 'gpt-5-chat-latest'].some(canReason)).toBe(false);
  });
});

describe('storedReasoning', () => {
  it('reads loosely and skips entries that are not reasoning items', () => {
    expect(storedReasoning({ responses_reasoning: [{ id: 'rs_1', summary: 'bad' }, 42, { summary: [] }] })).toEqual([
      { id: 'rs_1', summary: [] },
    ]);
    expect(storedReasoning(undefined)).toEqual([]);
    expect(storedReasoning({ responses_reasoning: 'nope' })).toEqual([]);
  });
});
