import { afterEach, describe, expect, it } from 'vitest';
import { AbortReason, ProviderError } from '../../../source/engine/errors.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from '../../../source/engine/llm/openai/adapter.js';
import type { LLMRequest, LLMStreamPart } from '../../../source/engine/llm/provider.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeQuirks, type FakeReply } from '../../fakes/openai-server.js';

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: FakeReply[], options: Partial<OpenAICompatibleOptions> = {}) {
  server = await startFakeOpenAI({ script });
  const provider = new OpenAICompatibleProvider({
    model: 'gpt-test',
    apiKey: 'sk-test',
    baseURL: server.baseURL,
    provider: 'fakeai',
    ...options,
  });
  return { server, provider };
}

const hello: LLMRequest = { messages: [{ role: 'user', content: 'hello' }] };

async function collect(
  provider: OpenAICompatibleProvider,
  request: LLMRequest = hello,
  signal: AbortSignal = new AbortController().signal,
): Promise<LLMStreamPart[]> {
  const parts: LLMStreamPart[] = [];
  for await (const part of provider.stream(request, { signal })) parts.push(part);
  return parts;
}

function summary(parts: LLMStreamPart[]) {
  const finishes = parts.filter((p) => p.type === 'finish');
  return {
    text: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''),
    reasoning: parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join(''),
    calls: parts.flatMap((p) => (p.type === 'tool_call' ? [p.call] : [])),
    finishes,
    finish: finishes[0],
    last: parts.at(-1),
  };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('OpenAICompatibleProvider: streaming', () => {
  it('has an id of provider/model', async () => {
    const { provider } = await setup([]);
    expect(provider.id).toBe('fakeai/gpt-test');
    expect(provider.provider).toBe('fakeai');
    expect(new OpenAICompatibleProvider({ model: 'gpt-4o', apiKey: 'k' }).id).toBe('openai/gpt-4o');
  });

  it('streams text as deltas and finishes once, last', async () => {
    const { provider } = await setup([{ text: 'Hello there, how can I help you today?', chunkSize: 5 }]);
    const parts = await collect(provider);
    const s = summary(parts);
    expect(s.text).toBe('Hello there, how can I help you today?');
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(5);
    expect(s.finishes).toHaveLength(1);
    expect(s.last).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('streams reasoning from reasoning_content and from reasoning', async () => {
    const { provider } = await setup([
      { reasoning: 'Let me think about it.', text: 'Answer.' },
      { reasoning: 'Other field.', reasoningField: 'reasoning', text: 'Two.' },
    ]);
    const first = summary(await collect(provider));
    expect(first).toMatchObject({ reasoning: 'Let me think about it.', text: 'Answer.' });
    const second = summary(await collect(provider));
    expect(second).toMatchObject({ reasoning: 'Other field.', text: 'Two.' });
  });

  it('hands the reasoning back under the field it came in, for thinking models that need it with tool calls', async () => {
    const { provider, server } = await setup([
      { reasoning: 'I should look.', toolCalls: [{ id: 'c1', name: 'look', arguments: {} }] },
      { text: 'done' },
    ]);
    const first = summary(await collect(provider));
    const providerFields = first.finish?.type === 'finish' ? first.finish.providerFields : undefined;
    expect(providerFields).toEqual({ openai_compat: { reasoning_content: 'I should look.' } });
    await collect(provider, {
      messages: [
        { role: 'user', content: 'look' },
        { role: 'assistant', content: '', toolCalls: first.calls, ...(providerFields ? { providerFields } : {}) },
        { role: 'tool', toolCallId: 'c1', name: 'look', content: 'seen' },
      ],
    });
    const assistant = (server.requests[1]!.body!.messages as Array<Record<string, unknown>>)[1];
    expect(assistant).toMatchObject({ role: 'assistant', reasoning_content: 'I should look.' });
  });

  it('reassembles a tool call whose arguments are split across chunks', async () => {
    const args = { path: 'src/index.ts', start: 10, end: 42, note: 'a long enough argument string' };
    const { provider } = await setup([{ toolCalls: [{ id: 'call_1', name: 'read', arguments: args }], argChunkSize: 3 }]);
    const parts = await collect(provider);
    const s = summary(parts);
    expect(s.calls).toEqual([{ id: 'call_1', name: 'read', arguments: JSON.stringify(args) }]);
    expect(s.last).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
    // Whole calls only, after the stream: no tool part before the last text part.
    const firstCall = parts.findIndex((p) => p.type === 'tool_call');
    expect(parts.slice(firstCall).every((p) => p.type === 'tool_call' || p.type === 'finish')).toBe(true);
  });

  it('yields two parallel tool calls in index order, after the text', async () => {
    const { provider } = await setup([
      {
        text: 'Reading both.',
        toolCalls: [
          { name: 'read', arguments: { path: 'a' } },
          { name: 'grep', arguments: { pattern: 'x', path: 'b' } },
        ],
      },
    ]);
    const parts = await collect(provider);
    expect(parts.map((p) => p.type)).toEqual(['text', 'text', 'tool_call', 'tool_call', 'finish']);
    expect(summary(parts).calls).toEqual([
      { id: 'call_0_0', name: 'read', arguments: '{"path":"a"}' },
      { id: 'call_0_1', name: 'grep', arguments: '{"pattern":"x","path":"b"}' },
    ]);
  });

  const quirkCases: Array<[string, FakeQuirks]> = [
    ['noIndex', { noIndex: true }],
    ['reuseIndexZero', { reuseIndexZero: true }],
    ['noIdOnFirstDelta', { noIdOnFirstDelta: true }],
    ['nameAfterArgs', { nameAfterArgs: true }],
    ['argsInOneChunk', { argsInOneChunk: true }],
    ['emptyDeltas', { emptyDeltas: true }],
    ['noDone', { noDone: true }],
    ['usageInFinalOnly', { usageInFinalOnly: true }],
    ['reuseIndexZero + noIdOnFirstDelta', { reuseIndexZero: true, noIdOnFirstDelta: true }],
    ['noIndex + nameAfterArgs', { noIndex: true, nameAfterArgs: true }],
    ['everything at once', { noIndex: true, noIdOnFirstDelta: true, emptyDeltas: true, noDone: true, usageInFinalOnly: true }],
  ];

  it.each(quirkCases)('copes with the %s quirk', async (_name, quirks) => {
    const { provider } = await setup([
      {
        text: 'On it.',
        toolCalls: [
          { id: 'call_a', name: 'read', arguments: { path: 'one.txt' } },
          { id: 'call_b', name: 'read', arguments: { path: 'two.txt' } },
        ],
        usage: { prompt_tokens: 120, completion_tokens: 30 },
        quirks,
      },
    ]);
    const s = summary(await collect(provider));
    expect(s.text).toBe('On it.');
    expect(s.calls).toEqual([
      { id: 'call_a', name: 'read', arguments: '{"path":"one.txt"}' },
      { id: 'call_b', name: 'read', arguments: '{"path":"two.txt"}' },
    ]);
    expect(s.finishes).toHaveLength(1);
    expect(s.finish).toMatchObject({ finishReason: 'tool_calls', usage: { input: 120, output: 30, cached: 0 } });
  });

  it('reports usage with cached tokens', async () => {
    const { provider } = await setup([{ text: 'ok', usage: { prompt_tokens: 2000, completion_tokens: 5, cached_tokens: 1536 } }]);
    const s = summary(await collect(provider));
    expect(s.finish).toEqual({ type: 'finish', finishReason: 'stop', usage: { input: 2000, output: 5, cached: 1536 } });
  });

  it('finishes without usage when the server sends none, and passes the finish reason through', async () => {
    const { provider } = await setup([{ text: 'cut', usage: false, finishReason: 'length' }]);
    const s = summary(await collect(provider));
    expect(s.finish).toEqual({ type: 'finish', finishReason: 'length' });
  });

  it('estimates plausible usage by default', async () => {
    const { provider } = await setup([{ text: 'some words here' }]);
    const s = summary(await collect(provider));
    expect(s.finish?.type === 'finish' && s.finish.usage?.input).toBeGreaterThan(0);
    expect(s.finish?.type === 'finish' && s.finish.usage?.output).toBeGreaterThan(0);
  });

  it('stops reading and closes the request when the consumer breaks early', async () => {
    const { server, provider } = await setup([{ text: 'x'.repeat(200), chunkSize: 1, delayMs: 5 }]);
    for await (const part of provider.stream(hello, { signal: new AbortController().signal })) {
      if (part.type === 'text') break;
    }
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });
});

describe('OpenAICompatibleProvider: the request on the wire', () => {
  it('converts messages, tools and options to the chat-completions body', async () => {
    const { server, provider } = await setup([{ text: 'done' }], { defaultHeaders: { 'x-team': 'kohaku' } });
    const messages: Message[] = [
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', url: 'data:image/png;base64,AAAA', detail: 'low' },
          { type: 'image', url: 'https://example.com/cat.png' },
        ],
      },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_9', name: 'look', arguments: '{"zoom":2}' }],
        reasoning: 'not sent back',
        providerFields: { openai_compat: { reasoning_details: [{ type: 'reasoning.encrypted', data: 'opaque' }] }, gemini_parts: [{ thoughtSignature: 'not for openai' }] },
      },
      { role: 'tool', toolCallId: 'call_9', name: 'look', content: [{ type: 'text', text: 'a cat' }, { type: 'text', text: ' on a mat' }] },
      { role: 'assistant', content: 'A cat on a mat.' },
      { role: 'user', content: 'thanks' },
    ];
    await collect(provider, {
      messages,
      tools: [{ name: 'look', description: 'Look closer', parameters: { type: 'object', properties: { zoom: { type: 'number' } } } }],
      temperature: 0.2,
      maxTokens: 512,
      reasoningEffort: 'low',
      extraBody: { top_p: 0.9, temperature: 0.3 },
    });

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers['authorization']).toBe('Bearer sk-test');
    expect(request.headers['x-team']).toBe('kohaku');
    expect(request.headers['x-stainless-retry-count']).toBe('0');
    expect(request.body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'look', arguments: '{"zoom":2}' } }],
          reasoning_details: [{ type: 'reasoning.encrypted', data: 'opaque' }],
        },
        { role: 'tool', tool_call_id: 'call_9', content: 'a cat on a mat' },
        { role: 'assistant', content: 'A cat on a mat.' },
        { role: 'user', content: 'thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'look',
            description: 'Look closer',
            parameters: { type: 'object', properties: { zoom: { type: 'number' } } },
          },
        },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 512,
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no tools key when there are no tools, and a round trip feeds the tool result back', async () => {
    const { server, provider } = await setup([
      { toolCalls: [{ name: 'clock', arguments: {} }] },
      { text: 'It is noon.' },
    ]);
    const first = summary(await collect(provider, { messages: [{ role: 'user', content: 'time?' }], tools: [] }));
    const call = first.calls[0]!;
    await collect(provider, {
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, name: call.name, content: '12:00' },
      ],
    });
    expect(server.requests[0]!.body).not.toHaveProperty('tools');
    expect(server.requests[1]!.body?.messages).toEqual([
      { role: 'user', content: 'time?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'clock', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_0_0', content: '12:00' },
    ]);
  });
});

describe('OpenAICompatibleProvider: failures', () => {
  it('401 → auth, not retryable, naming the provider', async () => {
    const { provider } = await setup([{ error: { status: 401 } }]);
    const error = await failure(collect(provider));
    expect(error.errorClass).toBe('auth');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(401);
    expect(error.message).toContain('the key for fakeai was rejected (401)');
    expect(error.hint).toContain('fakeai');
  });

  it('429 with retry-after → rate_limit with retryAfterMs', async () => {
    const { provider } = await setup([{ error: { status: 429, retryAfter: 2 } }, { error: { status: 429, retryAfterMs: 250 } }]);
    const first = await failure(collect(provider));
    expect(first).toMatchObject({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 2000, status: 429 });
    const second = await failure(collect(provider));
    expect(second.retryAfterMs).toBe(250);
  });

  it('429 insufficient_quota → user, not retryable', async () => {
    const { provider } = await setup([{ error: { status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'user', retryable: false });
  });

  it('500 → server, retryable; an exhausted script shows up in the message', async () => {
    const { provider } = await setup([{ error: { status: 500 } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'server', retryable: true, status: 500 });
    const exhausted = await failure(collect(provider));
    expect(exhausted.message).toContain('fake server: script exhausted after 1 requests');
  });

  it('400 context_length_exceeded → overflow', async () => {
    const { provider } = await setup([
      { error: { status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." } },
    ]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'overflow', retryable: false });
    expect(error.message).toContain('gpt-test');
  });

  it('404 → user with a hint about the model and base URL', async () => {
    const { provider } = await setup([{ error: { status: 404 } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'user', status: 404 });
    expect(error.hint).toContain('base URL');
  });

  it('malformed stream → protocol, not retryable', async () => {
    const { provider } = await setup([{ malformed: true }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'protocol', retryable: false });
  });

  it('a 200 that is not an event stream → protocol', async () => {
    const page = async () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const { provider } = await setup([], { fetch: page as typeof fetch });
    const error = await failure(collect(provider));
    expect(error.errorClass).toBe('protocol');
  });

  /** A fetch that answers 200 with this event-stream body, for frames the fake server never sends. */
  const sse = (body: string) =>
    (async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;

  it('an error event inside the stream → classified by the code it carries', async () => {
    const body = 'data: {"error":{"message":"Provider returned error","code":502}}\n\n';
    const { provider } = await setup([], { fetch: sse(body) });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'server', status: 502, retryable: true });
    expect(error.message).toContain('Provider returned error');
  });

  it('a chunk that is JSON but not an object → protocol', async () => {
    const { provider } = await setup([], { fetch: sse('data: 42\n\ndata: [DONE]\n\n') });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'protocol', retryable: false });
  });

  it('a stream with nothing but [DONE] → protocol', async () => {
    const { provider } = await setup([], { fetch: sse('data: [DONE]\n\n') });
    const error = await failure(collect(provider));
    expect(error.errorClass).toBe('protocol');
    expect(error.message).toContain('empty stream');
  });

  it.each(['before-headers', 'mid-stream'] as const)('dropped connection (%s) → transient', async (drop) => {
    const { provider } = await setup([{ drop }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain('fakeai');
  });

  it('nothing listening → transient', async () => {
    const { server, provider } = await setup([]);
    await server.close();
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toMatch(/no response from fakeai at http:\/\/127\.0\.0\.1:\d+\/v1: .*ECONNREFUSED/);
  });

  it('no response headers within timeoutMs → transient', async () => {
    const { provider } = await setup([{ text: 'late', firstByteDelayMs: 1000 }], { timeoutMs: 100 });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient' });
    expect(error.message).toContain('in time');
  });

  it('hang + abort → rejects with the signal reason and the HTTP request is closed', async () => {
    const { server, provider } = await setup([{ hang: true }]);
    const controller = new AbortController();
    const reason = new AbortReason('interrupted');
    const pending = collect(provider, hello, controller.signal);
    await server.waitForRequests(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });

  it('abort mid-stream → rejects with the signal reason, no finish, request closed', async () => {
    const { server, provider } = await setup([{ text: 'y'.repeat(100), chunkSize: 1, delayMs: 5 }]);
    const controller = new AbortController();
    const reason = new AbortReason('cancelled');
    const parts: LLMStreamPart[] = [];
    const run = (async () => {
      for await (const part of provider.stream(hello, { signal: controller.signal })) {
        parts.push(part);
        if (parts.length === 3) controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });

  it('an already aborted signal throws its reason without a request', async () => {
    const { server, provider } = await setup([{ text: 'never' }]);
    const controller = new AbortController();
    const reason = new AbortReason('timeout');
    controller.abort(reason);
    await expect(collect(provider, hello, controller.signal)).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
});
