import { describe, expect, it } from 'vitest';
import { AnthropicProvider, type AnthropicOptions } from '../../../source/engine/llm/anthropic/adapter.js';
import { ORPHAN_RESULT_TEXT } from '../../../source/engine/llm/anthropic/tool-pairing.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import type { LLMRequest, LLMStreamPart } from '../../../source/engine/llm/provider.js';
import { startFakeAnthropic } from '../../fakes/anthropic-server.js';
import { interruptedCall } from '../../helpers/tool-messages.js';
import { answering, collect, expectReasoningThenText, failure, hello, scriptedSetup, summary } from './harness.js';
import { testFailures, testProviderContract } from './provider-contract.js';
import { lookTool, pictureQuestion } from './wire-inputs.js';

/** A current model that takes budget thinking (Claude 4.5) and is not deprecated (no SDK warning). */
const BUDGET_MODEL = 'claude-haiku-4-5';
/** A model that takes adaptive thinking and every effort level. */
const ADAPTIVE_MODEL = 'claude-opus-4-7';

const setup = scriptedSetup(startFakeAnthropic, (server, options: Partial<AnthropicOptions>) => ({
  provider: new AnthropicProvider({ model: BUDGET_MODEL, apiKey: 'sk-ant-test', baseURL: server.baseURL, provider: 'fakeanthropic', ...options }),
}));

const ev = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
const start = ev('message_start', { message: { id: 'msg_1', role: 'assistant', content: [], usage: { input_tokens: 3, output_tokens: 1 } } });

testProviderContract('AnthropicProvider', setup, {
  rejected: 'the key for fakeanthropic was rejected (401)',
  unreachable: /no response from fakeanthropic at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
  numberedCallIds: ['toolu_fake0_0', 'toolu_fake0_1'],
});

describe('AnthropicProvider: streaming', () => {
  it('has an id of provider/model, anthropic by default', () => {
    const named = new AnthropicProvider({ model: BUDGET_MODEL, apiKey: 'k', provider: 'fakeanthropic' });
    expect(named).toMatchObject({ id: `fakeanthropic/${BUDGET_MODEL}`, provider: 'fakeanthropic' });
    expect(new AnthropicProvider({ model: 'claude-opus-4-7', apiKey: 'k', maxContext: 200_000 })).toMatchObject({
      id: 'anthropic/claude-opus-4-7',
      maxContext: 200_000,
    });
  });

  it('streams thinking as reasoning deltas and keeps the signed blocks for the next request', async () => {
    const { provider } = await setup([
      { thinking: 'First, think about it carefully.', signature: 'sig-abc', redactedThinking: 'ENCRYPTED', text: 'Answer.', chunkSize: 6 },
    ]);
    const parts = await collect(provider);
    expectReasoningThenText(parts, 'First, think about it carefully.', 'Answer.');
    expect(parts.filter((p) => p.type === 'reasoning').length).toBeGreaterThan(3);
    expect(summary(parts).finish?.providerFields).toEqual({
      anthropic_thinking: [
        { type: 'thinking', thinking: 'First, think about it carefully.', signature: 'sig-abc' },
        { type: 'redacted_thinking', data: 'ENCRYPTED' },
      ],
    });
  });

  it('takes the input of the start block when no fragments follow, and {} when there is none', async () => {
    const block = (index: number, input: unknown) =>
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: `toolu_${index}`, name: 'f', input } }) +
      ev('content_block_stop', { index });
    const body = start + block(0, { a: 1 }) + block(1, {}) + ev('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }) + ev('message_stop', {});
    const { provider } = await setup([], { fetch: answering(body) });
    expect(summary(await collect(provider)).calls.map((c) => c.arguments)).toEqual(['{"a":1}', '{}']);
  });

  it('normalises usage: input counts cache reads and writes, cached is the reads', async () => {
    const { provider } = await setup([
      { text: 'ok', usage: { input_tokens: 100, cache_read_input_tokens: 1500, cache_creation_input_tokens: 400, output_tokens: 30 } },
    ]);
    const s = summary(await collect(provider));
    expect(s.finish).toEqual({ type: 'finish', finishReason: 'stop', usage: { input: 2000, output: 30, cached: 1500 } });
  });

  it('maps stop reasons: max_tokens → length, unknown ones pass through', async () => {
    const { provider } = await setup([{ text: 'cut', stopReason: 'max_tokens' }, { text: 'no', stopReason: 'refusal' }]);
    expect(summary(await collect(provider)).finish?.finishReason).toBe('length');
    expect(summary(await collect(provider)).finish?.finishReason).toBe('refusal');
  });
});

describe('AnthropicProvider: authentication headers', () => {
  it('sends the key as a bearer token by default, with the SDK API version and no SDK retries', async () => {
    const { server, provider } = await setup([{ text: 'ok' }]);
    await collect(provider);
    const headers = server.requests[0]!.headers;
    expect(headers['authorization']).toBe('Bearer sk-ant-test');
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['anthropic-version']).toBe('2026-10-21');
    expect(headers['x-stainless-retry-count']).toBe('0');
    expect(server.requests[0]!.path).toBe('/v1/messages');
  });

  it("sends x-api-key and no authorization with auth: 'x-api-key'", async () => {
    const { server, provider } = await setup([{ text: 'ok' }], { auth: 'x-api-key' });
    await collect(provider);
    const headers = server.requests[0]!.headers;
    expect(headers['x-api-key']).toBe('sk-ant-test');
    expect(headers['authorization']).toBeUndefined();
  });
});

describe('AnthropicProvider: the request on the wire', () => {
  it('converts system, images, tool calls and results, merging same-role turns', async () => {
    const { server, provider } = await setup([{ text: 'done' }], { promptCaching: false });
    const messages: Message[] = [
      { role: 'system', content: 'You are terse.' },
      pictureQuestion('https://example.com/cat.jpg'),
      { role: 'user', content: 'Also look closer.' },
      {
        role: 'assistant',
        content: 'Looking.',
        reasoning: 'not sent back: display only',
        toolCalls: [
          { id: 'toolu_a', name: 'look', arguments: '{"zoom":2}' },
          { id: 'toolu_b', name: 'look', arguments: '{"zoom": broken' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_a', name: 'look', content: 'a cat' },
      { role: 'tool', toolCallId: 'toolu_b', name: 'look', content: 'bad arguments', isError: true },
      { role: 'user', content: 'and?' },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'thanks' },
    ];
    await collect(provider, { messages, tools: [lookTool] });
    expect(server.requests[0]!.body).toEqual({
      model: BUDGET_MODEL,
      max_tokens: 32_000,
      stream: true,
      system: [{ type: 'text', text: 'You are terse.' }],
      tools: [{ name: 'look', description: 'Look closer', input_schema: lookTool.parameters }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'Also look closer.' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 'toolu_a', name: 'look', input: { zoom: 2 } },
            { type: 'tool_use', id: 'toolu_b', name: 'look', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_a', content: 'a cat' },
            { type: 'tool_result', tool_use_id: 'toolu_b', content: 'bad arguments', is_error: true },
            { type: 'text', text: 'and?' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
        { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
      ],
    });
  });

  it('derives max_tokens from maxOutput (capped at 64k) unless the request sets it', async () => {
    const { server, provider } = await setup([{ text: '1' }, { text: '2' }, { text: '3' }], { maxOutput: 8192 });
    await collect(provider);
    await collect(provider, { ...hello, maxTokens: 300 });
    await collect(new AnthropicProvider({ model: BUDGET_MODEL, apiKey: 'k', baseURL: server.baseURL, maxOutput: 128_000 }));
    expect(server.requests.map((r) => r.body?.max_tokens)).toEqual([8192, 300, 64_000]);
  });

  it('round-trips a tool call: tool_use in the assistant turn, its result next, thinking and signature first', async () => {
    const { server, provider } = await setup([
      { thinking: 'I should check the clock.', signature: 'sig-clock', toolCalls: [{ name: 'clock', arguments: { tz: 'UTC' } }] },
      { text: 'It is noon.' },
    ]);
    const request: LLMRequest = { messages: [{ role: 'user', content: 'time?' }], reasoningEffort: 'low' };
    const first = summary(await collect(provider, request));
    const call = first.calls[0]!;
    const assistant: Message = { role: 'assistant', content: '', toolCalls: [call], reasoning: first.reasoning };
    if (first.finish?.providerFields) assistant.providerFields = first.finish.providerFields;
    const second = summary(
      await collect(provider, {
        ...request,
        messages: [...request.messages, assistant, { role: 'tool', toolCallId: call.id, name: call.name, content: '12:00' }],
      }),
    );
    expect(second.text).toBe('It is noon.');
    const wire = server.requests[1]!.body!.messages!;
    expect(wire).toHaveLength(3);
    expect(wire[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should check the clock.', signature: 'sig-clock' },
        { type: 'tool_use', id: 'toolu_fake0_0', name: 'clock', input: { tz: 'UTC' }, cache_control: { type: 'ephemeral' } },
      ],
    });
    expect(wire[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_fake0_0', content: '12:00', cache_control: { type: 'ephemeral' } }],
    });
  });

  it('answers an orphan tool_use and drops a stray tool_result (the fake rejects either)', async () => {
    const { server, provider } = await setup([{ text: 'ok' }], { promptCaching: false });
    await collect(provider, { messages: interruptedCall() });
    expect(server.requests[0]!.body!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'lost', name: 'run', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'lost', content: ORPHAN_RESULT_TEXT, is_error: true },
          { type: 'text', text: 'what happened?' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Nothing.' }] },
      { role: 'user', content: [{ type: 'text', text: 'ok' }] },
    ]);
  });

  it('places cache_control on the system prompt and the last two turns', async () => {
    const { server, provider } = await setup([{ text: 'ok' }]);
    await collect(provider, {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
      ],
      tools: [{ name: 't', description: 'd', parameters: { type: 'object' } }],
    });
    const body = server.requests[0]!.body!;
    const mark = { type: 'ephemeral' };
    expect(body.system).toEqual([{ type: 'text', text: 'Be brief.', cache_control: mark }]);
    expect(body.tools![0]).not.toHaveProperty('cache_control');
    expect(body.messages![0].content[0]).not.toHaveProperty('cache_control');
    expect(body.messages![1].content[0]).toEqual({ type: 'text', text: 'two', cache_control: mark });
    expect(body.messages![2].content[0]).toEqual({ type: 'text', text: 'three', cache_control: mark });
  });

  it('places no cache_control with promptCaching off or extraBody.disable_prompt_caching, which is not sent', async () => {
    const { server, provider } = await setup([{ text: '1' }, { text: '2' }]);
    const request: LLMRequest = { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }] };
    await collect(provider, { ...request, extraBody: { disable_prompt_caching: true, metadata: { user_id: 'u1' } } });
    await collect(new AnthropicProvider({ model: BUDGET_MODEL, apiKey: 'k', baseURL: server.baseURL, promptCaching: false }), request);
    for (const r of server.requests) {
      expect(JSON.stringify(r.body)).not.toContain('cache_control');
      expect(r.body).not.toHaveProperty('disable_prompt_caching');
    }
    expect(server.requests[0]!.body!['metadata']).toEqual({ user_id: 'u1' });
  });

  it('maps reasoning effort to a thinking budget on budget models, dropping temperature while thinking', async () => {
    const { server, provider } = await setup([{ text: '1' }, { text: '2' }, { text: '3' }]);
    await collect(provider, { ...hello, reasoningEffort: 'high', temperature: 0.5 });
    await collect(provider, { ...hello, reasoningEffort: 'none', temperature: 1.7 });
    await collect(provider, { ...hello, reasoningEffort: 'xhigh', maxTokens: 4000 });
    const [high, none, small] = server.requests.map((r) => r.body!);
    expect(high!['thinking']).toEqual({ type: 'enabled', budget_tokens: 16_384 });
    expect(high).not.toHaveProperty('temperature');
    expect(high).not.toHaveProperty('output_config');
    expect(none).not.toHaveProperty('thinking');
    expect(none!['temperature']).toBe(1);
    // The budget shrinks to leave room for the answer below max_tokens.
    expect(small!['thinking']).toEqual({ type: 'enabled', budget_tokens: 2976 });
  });

  it('maps reasoning effort to adaptive thinking with output_config.effort on adaptive models', async () => {
    const { server, provider } = await setup([{ text: '1' }, { text: '2' }, { text: '3' }], { model: ADAPTIVE_MODEL });
    await collect(provider, { ...hello, reasoningEffort: 'xhigh' });
    await collect(provider, { ...hello, reasoningEffort: 'minimal' });
    await collect(new AnthropicProvider({ model: 'claude-opus-4-6', apiKey: 'k', baseURL: server.baseURL }), {
      ...hello,
      reasoningEffort: 'xhigh',
    });
    const bodies = server.requests.map((r) => r.body!);
    expect(bodies.map((b) => [b['thinking'], b['output_config']])).toEqual([
      [{ type: 'adaptive' }, { effort: 'xhigh' }],
      [{ type: 'adaptive' }, { effort: 'low' }],
      [{ type: 'adaptive' }, { effort: 'high' }],
    ]);
  });

  it('deep-merges extraBody last; a thinking of another type replaces ours', async () => {
    const { server, provider } = await setup([{ text: '1' }, { text: '2' }], { model: ADAPTIVE_MODEL });
    const format = { type: 'json_schema', schema: { type: 'object' } };
    await collect(provider, {
      ...hello,
      reasoningEffort: 'high',
      extraBody: { thinking: { display: 'summarized' }, output_config: { format } },
    });
    await collect(provider, { ...hello, reasoningEffort: 'high', extraBody: { thinking: { type: 'disabled' }, stream: false } });
    const [merged, replaced] = server.requests.map((r) => r.body!);
    expect(merged!['thinking']).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(merged!['output_config']).toEqual({ effort: 'high', format });
    expect(replaced!['thinking']).toEqual({ type: 'disabled' });
    expect(replaced!.stream).toBe(true);
  });
});

describe('AnthropicProvider: failures', () => {
  testFailures(setup, [
    {
      name: '403 → auth as well',
      reply: { error: { status: 403 } },
      is: { errorClass: 'auth', retryable: false, status: 403 },
      message: 'the key for fakeanthropic was rejected (403)',
    },
    { name: '429 with retry-after-ms → retryAfterMs to the millisecond', reply: { error: { status: 429, retryAfterMs: 250 } }, is: { retryAfterMs: 250 } },
    { name: '529 overloaded → server, retryable', reply: { error: { status: 529 } }, is: { errorClass: 'server', retryable: true, status: 529 }, message: 'overloaded' },
    {
      name: '400 "prompt is too long" → overflow, naming the model',
      reply: { error: { status: 400, message: 'prompt is too long: 215000 tokens > 200000 maximum' } },
      is: { errorClass: 'overflow', retryable: false, status: 400 },
      message: BUDGET_MODEL,
    },
    { name: 'another 400 → user, not retryable', reply: { error: { status: 400, message: 'messages.0: bad' } }, is: { errorClass: 'user', retryable: false } },
  ]);

  it('an error event mid-stream → classified by its type, after the text already streamed', async () => {
    const { provider } = await setup([
      { streamError: { type: 'overloaded_error' }, text: 'partial' },
      { streamError: { type: 'invalid_request_error', message: 'bad thing' } },
    ]);
    const parts: LLMStreamPart[] = [];
    const run = (async () => {
      for await (const part of provider.stream(hello, { signal: new AbortController().signal })) parts.push(part);
    })();
    const error = await failure(run);
    expect(error).toMatchObject({ errorClass: 'server', retryable: true, status: undefined });
    expect(error.message).toContain('in-stream overloaded_error');
    expect(summary(parts).text).toBe('partial');
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
    expect(await failure(collect(provider))).toMatchObject({ errorClass: 'user', retryable: false });
  });

  it('a stream without message_start → protocol; one that stops early → transient', async () => {
    const { provider } = await setup([], { fetch: answering(ev('ping', {})) });
    const empty = await failure(collect(provider));
    expect(empty.errorClass).toBe('protocol');
    const truncated = new AnthropicProvider({ model: 'm', apiKey: 'k', fetch: answering(start + ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })) });
    expect(await failure(collect(truncated))).toMatchObject({ errorClass: 'transient', retryable: true });
  });
});
